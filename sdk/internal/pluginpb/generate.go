// Package pluginpb holds the gosh plugin protocol (gosh.plugin.v1) and its
// generated Go code. It is internal: exported SDK APIs use the plain types of
// package sdk, converted at the edge by sdk/internal/convert.
package pluginpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative plugin.proto
