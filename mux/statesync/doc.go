// Package statesync holds the two states that gosh's SSP transport
// synchronises, both wire-compatible with mosh 1.4
// (shared/reference/mosh-protocol.md §5–§7):
//
//   - UserStream, client → server: the ordered log of the user's keystroke
//     bytes and window resizes (mosh's Network::UserStream). Its diff is a
//     serialized ClientBuffers.UserMessage.
//   - Frame, server → client: a vt.Screen plus the echo-ack number and the
//     gosh pane facts (mosh's Terminal::Complete). Its diff is a serialized
//     HostBuffers.HostMessage whose HostBytes repaint the receiver's replica.
//
// Both implement ssp.State. The diffs are encoded and decoded by hand with
// protowire (wire.go), byte-identical to proto.Marshal of the schemas in
// internal/statepb and decoded as proto.Unmarshal would; reflection and
// extension maps cost too much per keystroke (issue 3). The generated code
// there is the reference the tests compare against; it never appears in
// this package's API and is no longer linked into the binary.
//
// Model of UserStream: every event has an absolute position counted from
// the start of the session (one position per keystroke byte, one per
// resize, exactly as mosh counts UserEvents). A state holds the events from
// position base up to base+len(events); Subtract raises base. Two states of
// one stream are always prefix-related (mosh-server asserts this), so a
// diff is simply the events at positions old.End() and later.
package statesync
