// Package pluginpb holds the gosh plugin protocol (gosh.plugin.v1) and its
// generated Go code. It is internal: exported SDK APIs use the plain types of
// package sdk, converted at the edge by sdk/internal/convert.
package pluginpb

// The file registers as "sdk/internal/pluginpb/plugin.proto", not a bare
// "plugin.proto": plugin binaries link this package beside others' protos,
// and protobuf-go refuses two files registered under one name.
//
//go:generate protoc -I ../../.. --go_out=../../.. --go_opt=paths=source_relative --go-grpc_out=../../.. --go-grpc_opt=paths=source_relative sdk/internal/pluginpb/plugin.proto
