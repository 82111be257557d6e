// Package wirepb holds the generated code for TransportBuffers.Instruction,
// the body of every SSP datagram. Only package ssp uses it; generated
// types never appear in ssp's API.
package wirepb

//go:generate protoc --go_out=. --go_opt=paths=source_relative transportinstruction.proto
