package statesync

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/mux/statesync/internal/statepb/hostpb"
	"github.com/goshterm/gosh/mux/statesync/internal/statepb/userpb"
	"github.com/goshterm/gosh/vt"
)

// The generated code in internal/statepb is the reference for wire.go: the
// functions below are the reflection-based encoders and decoders statesync
// used before (proto.Marshal/Unmarshal with extensions), kept verbatim in
// behaviour so that the hand-written ones can be compared against them.

func refFrameDiff(f, old *Frame) []byte {
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
		panic(err)
	}
	return b
}

func refFrameApply(f *Frame, diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	var msg hostpb.HostMessage
	if err := proto.Unmarshal(diff, &msg); err != nil {
		return err
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
				return fmt.Errorf("resize to %d×%d", w, h)
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

func refUserDiff(s, old *UserStream) []byte {
	evs := mergeEvents(s.from(old.End()))
	if len(evs) == 0 {
		return nil
	}
	msg := &userpb.UserMessage{}
	for _, e := range evs {
		in := &userpb.Instruction{}
		if e.IsResize() {
			proto.SetExtension(in, userpb.E_Resize, &userpb.ResizeMessage{
				Width: proto.Int32(int32(e.Width)), Height: proto.Int32(int32(e.Height)),
			})
		} else {
			proto.SetExtension(in, userpb.E_Keystroke, &userpb.Keystroke{Keys: e.Keys})
		}
		msg.Instruction = append(msg.Instruction, in)
	}
	b, err := proto.Marshal(msg)
	if err != nil {
		panic(err)
	}
	return b
}

func refUserApply(s *UserStream, diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	var msg userpb.UserMessage
	if err := proto.Unmarshal(diff, &msg); err != nil {
		return err
	}
	for _, in := range msg.GetInstruction() {
		switch {
		case proto.HasExtension(in, userpb.E_Keystroke):
			ks := proto.GetExtension(in, userpb.E_Keystroke).(*userpb.Keystroke)
			s.PushKeys(ks.GetKeys())
		case proto.HasExtension(in, userpb.E_Resize):
			r := proto.GetExtension(in, userpb.E_Resize).(*userpb.ResizeMessage)
			s.PushResize(int(r.GetWidth()), int(r.GetHeight()))
		}
	}
	return nil
}

// randInt returns an int biased towards the edges that change a varint's
// length or sign: small, negative, and past the int32 range (truncated by
// the encoder, identically on both paths).
func randInt(r *rand.Rand) int {
	switch r.IntN(5) {
	case 0:
		return r.IntN(300)
	case 1:
		return -1 - r.IntN(300)
	case 2:
		return int(r.Int32())
	case 3:
		return int(r.Int64())
	default:
		return []int{0, 1, 127, 128, 16383, 16384, math.MaxInt32, math.MinInt32, math.MaxInt64}[r.IntN(9)]
	}
}

func randUint64(r *rand.Rand) uint64 {
	if r.IntN(2) == 0 {
		return uint64(r.IntN(1 << 14))
	}
	return r.Uint64() >> r.IntN(64)
}

// randBytes returns up to n random bytes, weighted to printable text and
// the escape sequences a screen understands; strings built from it may be
// invalid UTF-8, which proto2 carries unchecked.
func randBytes(r *rand.Rand, n int) []byte {
	pieces := []string{"a", "hello ", "\r\n", "\x1b[1;31m", "\x1b[0m", "\x1b[2J", "\x1b[H", "\u4e16", "\xff", "\x00", "\x1b[?25l"}
	var b []byte
	for range r.IntN(n + 1) {
		if r.IntN(4) == 0 {
			b = append(b, byte(r.IntN(256)))
		} else {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
	}
	return b
}

func randFrame(r *rand.Rand, f *Frame) {
	if r.IntN(3) == 0 {
		f.Screen().Resize(1+r.IntN(12), 1+r.IntN(5))
	}
	if r.IntN(2) == 0 {
		f.Screen().Write(randBytes(r, 8))
	}
	if r.IntN(2) == 0 {
		f.echoAck = randUint64(r) // as Apply may set it: in either direction
	}
	if r.IntN(2) == 0 {
		f.SetPane(Pane{
			X: randInt(r), Y: randInt(r), Width: randInt(r), Height: randInt(r),
			ICANON: r.IntN(2) == 0, Echo: r.IntN(2) == 0, Program: string(randBytes(r, 3)),
		})
	}
	if r.IntN(3) == 0 {
		var features []string
		for range r.IntN(4) {
			features = append(features, string(randBytes(r, 2)))
		}
		f.SetGoshVersion(uint32(randUint64(r)), features...)
	}
}

// DiffFrom's hand-built bytes equal proto.Marshal's for random pairs of
// frames: every extension, negative and truncated ints, long varints,
// empty and non-UTF-8 strings.
func TestFrameDiffMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := map[int]int{} // how many diffs carried each number of instructions
	for i := range 3000 {
		old := NewFrame(1+r.IntN(12), 1+r.IntN(5))
		randFrame(r, old)
		f := old.Clone()
		randFrame(r, f)
		got, want := f.DiffFrom(old), refFrameDiff(f, old)
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: DiffFrom =\n% x\nproto.Marshal =\n% x", i, got, want)
		}
		var msg hostpb.HostMessage
		if err := proto.Unmarshal(got, &msg); err != nil {
			t.Fatal(err)
		}
		kinds[len(msg.Instruction)]++
	}
	for n := range 5 {
		if kinds[n] == 0 {
			t.Errorf("no case with %d instructions: the generator misses some (%v)", n, kinds)
		}
	}
}

func TestUserStreamDiffMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		s := NewUserStream()
		var old *UserStream
		cut := r.IntN(6)
		for j := range 8 {
			if j == cut {
				old = s.Clone()
			}
			if r.IntN(3) == 0 {
				s.PushResize(randInt(r), randInt(r))
			} else {
				// Runs long enough for a two-byte length now and then.
				s.PushKeys(randBytes(r, []int{3, 60}[r.IntN(2)]))
			}
		}
		if r.IntN(4) == 0 {
			s.Subtract(old)
		}
		got, want := s.DiffFrom(old), refUserDiff(s, old)
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: DiffFrom =\n% x\nproto.Marshal =\n% x", i, got, want)
		}
	}
}

// randHostMessage returns a HostMessage as proto.Marshal writes it, made
// harder the ways a peer may: instructions with several extensions or
// none, the same extension repeated (concatenated messages merge), absent
// optional fields, and fields unknown to this schema at every level.
func randHostMessage(r *rand.Rand) []byte {
	var out []byte
	for range r.IntN(5) {
		var in []byte
		for range r.IntN(4) {
			x := &hostpb.Instruction{}
			switch r.IntN(6) {
			case 0:
				hb := &hostpb.HostBytes{}
				if r.IntN(4) != 0 {
					hb.Hoststring = randBytes(r, 6)
				}
				proto.SetExtension(x, hostpb.E_Hostbytes, hb)
			case 1:
				m := &hostpb.ResizeMessage{}
				if r.IntN(4) != 0 {
					m.Width = proto.Int32(int32(1 + r.IntN(20)))
				}
				if r.IntN(4) != 0 {
					m.Height = proto.Int32(int32(randInt(r)))
				}
				proto.SetExtension(x, hostpb.E_Resize, m)
			case 2:
				m := &hostpb.EchoAck{}
				if r.IntN(4) != 0 {
					m.EchoAckNum = proto.Uint64(randUint64(r))
				}
				proto.SetExtension(x, hostpb.E_Echoack, m)
			case 3:
				m := &hostpb.GoshPane{}
				for _, p := range []**int32{&m.X, &m.Y, &m.Width, &m.Height} {
					if r.IntN(3) != 0 {
						*p = proto.Int32(int32(randInt(r)))
					}
				}
				if r.IntN(3) != 0 {
					m.Icanon = proto.Bool(r.IntN(2) == 0)
				}
				if r.IntN(3) != 0 {
					m.Echo = proto.Bool(r.IntN(2) == 0)
				}
				if r.IntN(3) != 0 {
					m.Program = proto.String(string(randBytes(r, 2)))
				}
				proto.SetExtension(x, hostpb.E_GoshPane, m)
			case 4:
				m := &hostpb.GoshVersion{}
				if r.IntN(3) != 0 {
					m.Protocol = proto.Uint32(uint32(randUint64(r)))
				}
				for range r.IntN(3) {
					m.Features = append(m.Features, string(randBytes(r, 2)))
				}
				proto.SetExtension(x, hostpb.E_GoshVersion, m)
			default:
				in = randUnknown(r, in, false)
				continue
			}
			b, err := proto.Marshal(x)
			if err != nil {
				panic(err)
			}
			in = append(in, b...)
		}
		out = protowire.AppendTag(out, fieldInstruction, protowire.BytesType)
		out = protowire.AppendBytes(out, in)
		if r.IntN(4) == 0 {
			out = randUnknown(r, out, true)
		}
	}
	return out
}

// randUnknown appends a field that neither schema knows at its level, or a
// known number with the wrong wire type, which proto2 skips alike. At the
// top level (top), field 1 is the instruction and is left out.
func randUnknown(r *rand.Rand, b []byte, top bool) []byte {
	nums := []int{1, 4, 5, 6, 10, 11, 100, 536870911}
	if top {
		nums = nums[1:]
	}
	num := protowire.Number(nums[r.IntN(len(nums))])
	switch r.IntN(5) {
	case 0:
		b = protowire.AppendTag(b, num, protowire.VarintType)
		return protowire.AppendVarint(b, randUint64(r))
	case 1:
		b = protowire.AppendTag(b, num, protowire.Fixed32Type)
		return protowire.AppendFixed32(b, r.Uint32())
	case 2:
		b = protowire.AppendTag(b, num, protowire.Fixed64Type)
		return protowire.AppendFixed64(b, r.Uint64())
	case 3:
		inner := protowire.AppendTag(nil, 3, protowire.VarintType)
		inner = protowire.AppendVarint(inner, 7)
		return protowire.AppendGroup(protowire.AppendTag(b, num, protowire.StartGroupType), num, inner)
	default:
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendBytes(b, randBytes(r, 3))
	}
}

func randUserMessage(r *rand.Rand) []byte {
	var out []byte
	for range r.IntN(6) {
		var in []byte
		for range r.IntN(4) {
			x := &userpb.Instruction{}
			switch r.IntN(3) {
			case 0:
				k := &userpb.Keystroke{}
				if r.IntN(4) != 0 {
					k.Keys = randBytes(r, 4)
				}
				proto.SetExtension(x, userpb.E_Keystroke, k)
			case 1:
				m := &userpb.ResizeMessage{}
				if r.IntN(4) != 0 {
					m.Width = proto.Int32(int32(randInt(r)))
				}
				if r.IntN(4) != 0 {
					m.Height = proto.Int32(int32(randInt(r)))
				}
				proto.SetExtension(x, userpb.E_Resize, m)
			default:
				in = randUnknown(r, in, false)
				continue
			}
			b, err := proto.Marshal(x)
			if err != nil {
				panic(err)
			}
			in = append(in, b...)
		}
		out = protowire.AppendTag(out, fieldInstruction, protowire.BytesType)
		out = protowire.AppendBytes(out, in)
		if r.IntN(4) == 0 {
			out = randUnknown(r, out, true)
		}
	}
	return out
}

// sameFrameApply applies diff to two copies of f, by hand and by the
// generated code, and fails unless both accept or reject it alike and end
// in the same state.
func sameFrameApply(t *testing.T, f *Frame, diff []byte) (accepted bool) {
	t.Helper()
	got, want := f.Clone(), f.Clone()
	gerr, werr := got.Apply(diff), refFrameApply(want, diff)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("Apply(% x) = %v, generated code says %v", diff, gerr, werr)
	}
	if !got.Equal(want) || got.echoAck != want.echoAck || got.hasPane != want.hasPane {
		gp, _ := got.Pane()
		wp, _ := want.Pane()
		t.Fatalf("Apply(% x): frame differs from the generated code's: ack %d/%d pane %+v/%+v version %d %q/%d %q",
			diff, got.echoAck, want.echoAck, gp, wp, got.version, got.features, want.version, want.features)
	}
	return gerr == nil
}

func sameUserApply(t *testing.T, s *UserStream, diff []byte) (accepted bool) {
	t.Helper()
	got, want := s.Clone(), s.Clone()
	gerr, werr := got.Apply(diff), refUserApply(want, diff)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("Apply(% x) = %v, generated code says %v", diff, gerr, werr)
	}
	if !slices.Equal(got.events, want.events) || got.base != want.base {
		t.Fatalf("Apply(% x): events %+v, generated code's %+v", diff, got.events, want.events)
	}
	return gerr == nil
}

// Apply decodes what the generated code encodes, including merged and
// unknown fields, to the same frame the generated code's decoder gives.
func TestFrameApplyMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	accepted := 0
	for range 3000 {
		f := NewFrame(10, 4)
		randFrame(r, f)
		if sameFrameApply(t, f, randHostMessage(r)) {
			accepted++
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d of 3000 messages accepted: the generator mostly tests rejection", accepted)
	}
}

func TestUserStreamApplyMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		s := NewUserStream()
		s.PushKeys([]byte("pre"))
		if !sameUserApply(t, s, randUserMessage(r)) {
			t.Fatal("a well-formed user message was rejected")
		}
	}
}

// Malformed wire data is rejected by both decoders alike and changes
// nothing.
func TestApplyRejectsMalformedLikeGeneratedCode(t *testing.T) {
	for _, tc := range []struct {
		hex      string
		hostOnly bool // breaks a host extension, unknown to ClientBuffers
	}{
		{"0a", false},           // tag without length
		{"0a05", false},         // length past the end
		{"0a023a", false},       // tag without length inside an instruction
		{"0a0412022205", false}, // keys / hoststring past the end
		{"0a033a0140", true},    // echo_ack_num without its value
		{"0a0d3a0b40" + strings.Repeat("ff", 10), true},       // varint longer than 10 bytes
		{"0a0d3a0b40" + strings.Repeat("80", 9) + "7f", true}, // varint overflowing 64 bits
		{"00", false},           // field number 0
		{"808080801000", false}, // field number 2^29, past the largest
		{"0c", false},           // end group with no start
		{"0b", false},           // start group with no end
		{"0f", false},           // reserved wire type
		{"0a020f00", false},     // reserved wire type inside an instruction
		{"0a0412023b44", false}, // group ended with another number
	} {
		diff := mustHex(t, tc.hex)
		if sameFrameApply(t, NewFrame(10, 4), diff) {
			t.Errorf("host message %s accepted", tc.hex)
		}
		if !tc.hostOnly && sameUserApply(t, NewUserStream(), diff) {
			t.Errorf("user message %s accepted", tc.hex)
		}
	}
}

// FuzzHostMessageDecode feeds arbitrary bytes to the hand decoder and the
// generated code: they must agree on acceptance and on the resulting frame,
// and the hand decoder must never panic.
func FuzzHostMessageDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 20 {
		f.Add(randHostMessage(r))
	}
	f.Add(mustHex(f, "0a043a024004"))
	f.Add(mustHex(f, "0a0412023b44"))
	f.Fuzz(func(t *testing.T, diff []byte) {
		sameFrameApply(t, NewFrame(10, 4), diff)
	})
}

// FuzzUserMessageDecode is FuzzHostMessageDecode for user input.
func FuzzUserMessageDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 20 {
		f.Add(randUserMessage(r))
	}
	f.Add(mustHex(f, "0a024a00"+"0a0512032201"+"78"))
	f.Fuzz(func(t *testing.T, diff []byte) {
		s := NewUserStream()
		s.PushKeys([]byte("pre"))
		sameUserApply(t, s, diff)
	})
}
