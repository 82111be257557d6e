// Package statepb holds the protobuf schemas of the two synchronised states
// and their generated code: userpb (mosh's ClientBuffers, client → server)
// and hostpb (mosh's HostBuffers, server → client, plus gosh extensions).
// They live in two Go packages because both mosh schemas name their
// messages Instruction and ResizeMessage.
//
// Generated types never leave mux/statesync: its exported API speaks plain
// Go types. statesync encodes these messages by hand (statesync/wire.go);
// the generated code is the schema's reference in its tests.
package statepb

//go:generate protoc -I . --go_out=. --go_opt=paths=source_relative userpb/userinput.proto hostpb/hostinput.proto
