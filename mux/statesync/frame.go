package statesync

import (
	"errors"
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"

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

	// hostBytes is AppendDiffFrom's repaint, reused; each copy of a
	// frame has its own (Clone leaves it behind).
	hostBytes []byte
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
	c.hostBytes = nil
	return &c
}

// CloneInto is Clone reusing old's memory (ssp.Recycler): the Frame and
// its screen's struct and row slices (vt.Screen.CloneInto). The transport
// passes a sent frame the peer acknowledged; old must not be used again.
func (f *Frame) CloneInto(old *Frame) *Frame {
	if old == nil || old == f || old.screen == f.screen {
		return f.Clone()
	}
	scr, hostBytes := old.screen, old.hostBytes
	*old = *f
	old.screen = f.screen.CloneInto(scr)
	old.hostBytes = hostBytes
	return old
}

var _ ssp.Recycler[*Frame] = (*Frame)(nil)

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
// own so that a mosh client skips exactly them (§5.3). The bytes are those
// proto.Marshal makes of the message (wire.go), built in one allocation.
func (f *Frame) DiffFrom(old *Frame) []byte { return f.AppendDiffFrom(nil, old) }

// AppendDiffFrom appends DiffFrom(old) to dst (ssp.DiffAppender): a
// transport's reused buffer, so that a frame's diff allocates nothing.
func (f *Frame) AppendDiffFrom(dst []byte, old *Frame) []byte {
	echoAck := f.echoAck != old.echoAck
	cols, rows := f.screen.Size()
	oc, or := old.screen.Size()
	resize := oc != cols || or != rows
	var hostBytes []byte
	if !f.screen.FrameEqual(old.screen) {
		hostBytes = f.screen.AppendDiff(f.hostBytes[:0], old.screen)
		if cap(hostBytes) <= maxKeptHostBytes {
			f.hostBytes = hostBytes
		} else {
			f.hostBytes = nil // a full repaint's: not kept
		}
	}
	pane := f.hasPane && (!old.hasPane || f.pane != old.pane)
	version := f.version != old.version || !slices.Equal(f.features, old.features)

	w, h := int32(cols), int32(rows)
	var size, paneSize, versionSize int
	if echoAck {
		size += sizeInstruction(1 + protowire.SizeVarint(f.echoAck))
	}
	if resize {
		size += sizeInstruction(sizeResize(w, h))
	}
	if len(hostBytes) > 0 {
		size += sizeInstruction(sizeField(len(hostBytes)))
	}
	if pane {
		paneSize = sizePane(&f.pane)
		size += sizeInstruction(paneSize)
	}
	if version {
		versionSize = sizeVersion(f.version, f.features)
		size += sizeInstruction(versionSize)
	}
	if size == 0 {
		return dst
	}

	b := slices.Grow(dst, size)
	if echoAck {
		b = appendInstruction(b, extEchoAck, 1+protowire.SizeVarint(f.echoAck))
		b = appendUint64(b, fieldEchoAckNum, f.echoAck)
	}
	if resize {
		b = appendInstruction(b, extHostResize, sizeResize(w, h))
		b = appendResize(b, w, h)
	}
	if len(hostBytes) > 0 {
		b = appendInstruction(b, extHostBytes, sizeField(len(hostBytes)))
		b = appendBytes(b, fieldHoststring, hostBytes)
	}
	if pane {
		b = appendInstruction(b, extGoshPane, paneSize)
		b = appendPane(b, &f.pane)
	}
	if version {
		b = appendInstruction(b, extGoshVersion, versionSize)
		b = appendVersion(b, f.version, f.features)
	}
	return b
}

// maxKeptHostBytes bounds the repaint buffer a frame keeps: an echo's is
// tens of bytes, a full repaint of a large screen tens of KB.
const maxKeptHostBytes = 16 << 10

var _ ssp.DiffAppender[*Frame] = (*Frame)(nil)

// errHostMessage reports a diff that is not a usable HostBuffers.HostMessage.
var errHostMessage = errors.New("statesync: malformed host message")

// Apply changes the frame by a diff from DiffFrom or from a stock
// mosh-server: Resize resizes the screen, HostBytes are written to it (as
// mosh-client's emulator does), EchoAck and the gosh extensions replace
// the stored values. Instructions with no known extension are skipped; an
// Instruction carrying several is taken as the first of HostBytes, Resize,
// EchoAck, GoshPane, GoshVersion, as mosh-client does. A diff that does not
// decode changes nothing.
func (f *Frame) Apply(diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	err := walkInstructions(diff, func(b []byte) error {
		_, err := decodeHostInstruction(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w: %v", errHostMessage, err)
	}
	return walkInstructions(diff, func(b []byte) error {
		in, _ := decodeHostInstruction(b)
		return f.apply(&in)
	})
}

func (f *Frame) apply(in *hostInstruction) error {
	switch {
	case in.has&hasHostBytes != 0:
		f.screen.Write(in.hostBytes)
	case in.has&hasHostResize != 0:
		w, h := int(in.w), int(in.h)
		if w <= 0 || h <= 0 {
			return fmt.Errorf("%w: resize to %d×%d", errHostMessage, w, h)
		}
		f.screen.Resize(w, h)
	case in.has&hasEchoAck != 0:
		f.echoAck = in.echoAck
	case in.has&hasGoshPane != 0:
		p := &in.pane
		f.SetPane(Pane{
			X: int(p.x), Y: int(p.y), Width: int(p.w), Height: int(p.h),
			ICANON: p.icanon, Echo: p.echo, Program: string(p.program),
		})
	case in.has&hasGoshVersion != 0:
		var features []string // nil when none, as SetGoshVersion leaves it
		for _, s := range in.features {
			features = append(features, string(s))
		}
		f.version, f.features = in.protocol, features
	}
	return nil
}
