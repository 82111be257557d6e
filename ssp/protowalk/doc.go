// Package protowalk walks the fields of a protobuf message in wire order
// (protowire), for the hand-written decoders of mosh's messages: ssp's
// TransportInstruction and mux/statesync's HostMessage and UserMessage.
// It accepts and rejects exactly what proto.Unmarshal does for proto2
// messages of scalar, bytes and sub-message fields, which their tests
// check against the generated code.
package protowalk
