package statesync

import (
	"errors"
	"fmt"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/mux/statesync/internal/statepb/hostpb"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/vt"
)

// ProtocolVersion is the gosh extension protocol a gosh server announces
// in its frames (HostBuffers.GoshVersion). It is independent of mosh's
// protocol_version, which stays 2. Bump it on an incompatible change of
// the gosh extensions; compatible changes add fields or features only.
const ProtocolVersion = 1

// Pane holds the facts about the frame's active pane that a gosh client
// needs to predict well (DESIGN.md §3): where the pane is, whether its
// pty echoes and is in canonical mode (so a password prompt — ICANON on,
// ECHO off — is never echoed locally), and its foreground program.
type Pane struct {
	X, Y, Width, Height int
	ICANON, Echo        bool
	Program             string
}

// Frame is the server → client state: the screen the client should show,
// the echo ack (mosh-protocol.md §6.8) and the gosh pane facts. It is
// mosh's Terminal::Complete plus extensions a mosh client skips. It is not
// safe for concurrent use.
type Frame struct {
	screen   *vt.Screen
	echoAck  uint64
	pane     Pane
	hasPane  bool
	version  uint32   // gosh protocol announced; 0 from a stock mosh-server
	features []string // gosh features announced
}

var _ ssp.State[*Frame] = (*Frame)(nil)

// NewFrame returns a blank cols×rows frame without pane facts.
func NewFrame(cols, rows int) *Frame {
	s := vt.NewScreen(cols, rows)
	s.SetScrollbackLimit(0) // a frame is what is visible; history stays in the mux
	return &Frame{screen: s}
}

// Screen is the frame's screen. The server writes the application's output
// into it; the client reads it to draw. Changes are seen by DiffFrom.
func (f *Frame) Screen() *vt.Screen { return f.screen }

// EchoAck is the newest client state number whose keystrokes the server
// vouches have reached the application at least 50 ms ago.
func (f *Frame) EchoAck() uint64 { return f.echoAck }

// SetEchoAck sets the echo ack; it never lowers it, because mosh-client
// asserts that echo acks only grow.
func (f *Frame) SetEchoAck(n uint64) { f.echoAck = max(f.echoAck, n) }

// Pane returns the pane facts; ok is false when none were set (always so
// for frames from a stock mosh-server).
func (f *Frame) Pane() (p Pane, ok bool) { return f.pane, f.hasPane }

// SetPane sets the pane facts.
func (f *Frame) SetPane(p Pane) { f.pane, f.hasPane = p, true }

// GoshVersion returns the gosh protocol version and features the server
// announced; 0 means a peer that speaks no gosh extensions (stock mosh).
func (f *Frame) GoshVersion() (protocol uint32, features []string) {
	return f.version, f.features
}

// SetGoshVersion makes the frame announce protocol and features.
func (f *Frame) SetGoshVersion(protocol uint32, features ...string) {
	f.version, f.features = protocol, slices.Clone(features)
}

// Clone returns an independent copy; the screen is copied on write.
func (f *Frame) Clone() *Frame {
	c := *f
	c.screen = f.screen.Clone()
	return &c
}

// Equal reports whether the frames would produce no diff.
func (f *Frame) Equal(o *Frame) bool {
	return f.echoAck == o.echoAck && f.hasPane == o.hasPane && f.pane == o.pane &&
		f.version == o.version && slices.Equal(f.features, o.features) &&
		f.screen.FrameEqual(o.screen)
}

// Subtract is a no-op: a frame is a snapshot, not a log.
func (f *Frame) Subtract(*Frame) {}

// DiffFrom returns a serialized HostBuffers.HostMessage that turns old into
// f, in mosh-server's order (mosh-protocol.md §5.2): EchoAck if it changed,
// Resize if the size changed, HostBytes repainting old's screen into f's if
// anything changed; then the gosh extensions, each in an Instruction of its
// own so that a mosh client skips exactly them (§5.3).
func (f *Frame) DiffFrom(old *Frame) []byte {
	var msg hostpb.HostMessage
	add := func(ext *hostpb.Instruction) { msg.Instruction = append(msg.Instruction, ext) }
	if f.echoAck != old.echoAck {
		in := &hostpb.Instruction{}
		proto.SetExtension(in, hostpb.E_Echoack, &hostpb.EchoAck{EchoAckNum: proto.Uint64(f.echoAck)})
		add(in)
	}
	cols, rows := f.screen.Size()
	if oc, or := old.screen.Size(); oc != cols || or != rows {
		in := &hostpb.Instruction{}
		proto.SetExtension(in, hostpb.E_Resize, &hostpb.ResizeMessage{
			Width: proto.Int32(int32(cols)), Height: proto.Int32(int32(rows)),
		})
		add(in)
	}
	if !f.screen.FrameEqual(old.screen) {
		if b := vt.Diff(old.screen, f.screen); len(b) > 0 {
			in := &hostpb.Instruction{}
			proto.SetExtension(in, hostpb.E_Hostbytes, &hostpb.HostBytes{Hoststring: b})
			add(in)
		}
	}
	if f.hasPane && (!old.hasPane || f.pane != old.pane) {
		in := &hostpb.Instruction{}
		proto.SetExtension(in, hostpb.E_GoshPane, &hostpb.GoshPane{
			X: proto.Int32(int32(f.pane.X)), Y: proto.Int32(int32(f.pane.Y)),
			Width: proto.Int32(int32(f.pane.Width)), Height: proto.Int32(int32(f.pane.Height)),
			Icanon: proto.Bool(f.pane.ICANON), Echo: proto.Bool(f.pane.Echo),
			Program: proto.String(f.pane.Program),
		})
		add(in)
	}
	if f.version != old.version || !slices.Equal(f.features, old.features) {
		in := &hostpb.Instruction{}
		proto.SetExtension(in, hostpb.E_GoshVersion, &hostpb.GoshVersion{
			Protocol: proto.Uint32(f.version), Features: f.features,
		})
		add(in)
	}
	if len(msg.Instruction) == 0 {
		return nil
	}
	b, err := proto.Marshal(&msg)
	if err != nil {
		// Only invalid UTF-8 in Program or a feature name can fail.
		panic(fmt.Sprintf("statesync: marshal host message: %v", err))
	}
	return b
}

// errHostMessage reports a diff that is not a usable HostBuffers.HostMessage.
var errHostMessage = errors.New("statesync: malformed host message")

// Apply changes the frame by a diff from DiffFrom or from a stock
// mosh-server: Resize resizes the screen, HostBytes are written to it (as
// mosh-client's emulator does), EchoAck and the gosh extensions replace
// the stored values. Instructions with no known extension are skipped.
func (f *Frame) Apply(diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	var msg hostpb.HostMessage
	if err := proto.Unmarshal(diff, &msg); err != nil {
		return fmt.Errorf("%w: %v", errHostMessage, err)
	}
	for _, in := range msg.GetInstruction() {
		switch {
		case proto.HasExtension(in, hostpb.E_Hostbytes):
			hb := proto.GetExtension(in, hostpb.E_Hostbytes).(*hostpb.HostBytes)
			f.screen.Write(hb.GetHoststring())
		case proto.HasExtension(in, hostpb.E_Resize):
			r := proto.GetExtension(in, hostpb.E_Resize).(*hostpb.ResizeMessage)
			w, h := int(r.GetWidth()), int(r.GetHeight())
			if w <= 0 || h <= 0 {
				return fmt.Errorf("%w: resize to %d×%d", errHostMessage, w, h)
			}
			f.screen.Resize(w, h)
		case proto.HasExtension(in, hostpb.E_Echoack):
			ea := proto.GetExtension(in, hostpb.E_Echoack).(*hostpb.EchoAck)
			f.echoAck = ea.GetEchoAckNum()
		case proto.HasExtension(in, hostpb.E_GoshPane):
			p := proto.GetExtension(in, hostpb.E_GoshPane).(*hostpb.GoshPane)
			f.SetPane(Pane{
				X: int(p.GetX()), Y: int(p.GetY()), Width: int(p.GetWidth()), Height: int(p.GetHeight()),
				ICANON: p.GetIcanon(), Echo: p.GetEcho(), Program: p.GetProgram(),
			})
		case proto.HasExtension(in, hostpb.E_GoshVersion):
			v := proto.GetExtension(in, hostpb.E_GoshVersion).(*hostpb.GoshVersion)
			f.SetGoshVersion(v.GetProtocol(), v.GetFeatures()...)
		}
	}
	return nil
}
