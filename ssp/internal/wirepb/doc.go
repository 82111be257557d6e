// Package wirepb holds the generated code for TransportBuffers.Instruction,
// the body of every SSP datagram. ssp encodes and decodes the message by
// hand (ssp/wire.go, no reflection per datagram); only ssp's tests use this
// package, as the reference the hand-written code must match byte for byte.
package wirepb

//go:generate protoc --go_out=. --go_opt=paths=source_relative transportinstruction.proto
