package ssp

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/ssp/internal/wirepb"
)

// The generated code in internal/wirepb is the reference for wire.go: the
// two functions below are the reflection-based encoder and decoder ssp used
// before, kept so that the hand-written ones can be compared against them.

func refMarshal(a *instruction) []byte {
	m := &wirepb.Instruction{
		ProtocolVersion: proto.Uint32(a.protocolVersion),
		OldNum:          proto.Uint64(a.oldNum),
		NewNum:          proto.Uint64(a.newNum),
		AckNum:          proto.Uint64(a.ackNum),
		ThrowawayNum:    proto.Uint64(a.throwawayNum),
		Diff:            nonNil(a.diff),
		Chaff:           nonNil(a.chaff),
	}
	raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err)
	}
	return raw
}

func refDecode(raw []byte) (*instruction, error) {
	var m wirepb.Instruction
	if err := proto.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return &instruction{
		protocolVersion: m.GetProtocolVersion(),
		oldNum:          m.GetOldNum(),
		newNum:          m.GetNewNum(),
		ackNum:          m.GetAckNum(),
		throwawayNum:    m.GetThrowawayNum(),
		diff:            m.GetDiff(),
		chaff:           m.GetChaff(),
	}, nil
}

// randUint64 favours the edges: zero, one-byte varints, the largest values.
func randUint64(r *rand.Rand) uint64 {
	switch r.IntN(6) {
	case 0:
		return 0
	case 1:
		return uint64(r.IntN(128))
	case 2:
		return math.MaxUint64 - uint64(r.IntN(2))
	case 3:
		return math.MaxUint32
	case 4:
		return r.Uint64() >> r.IntN(64)
	default:
		return r.Uint64()
	}
}

func randBytes(r *rand.Rand) []byte {
	switch r.IntN(5) {
	case 0:
		return nil
	case 1:
		return []byte{}
	case 2:
		b := make([]byte, 100+r.IntN(20000)) // multi-byte length prefixes
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	default:
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	}
}

func randInstruction(r *rand.Rand) *instruction {
	return &instruction{
		protocolVersion: uint32(randUint64(r)),
		oldNum:          randUint64(r),
		newNum:          randUint64(r),
		ackNum:          randUint64(r),
		throwawayNum:    randUint64(r),
		diff:            randBytes(r),
		chaff:           randBytes(r),
	}
}

// sameInstruction compares two decoded instructions, presence of diff and
// chaff included (nil for absent).
func sameInstruction(a, b *instruction) bool {
	return a.equal(b) && (a.diff == nil) == (b.diff == nil) && (a.chaff == nil) == (b.chaff == nil)
}

// mosh 1.4 parses what gosh writes with the generated C++ code, so the
// bytes must be exactly what the generated code writes: every field
// present, in order, an empty or missing diff as a zero-length field.
func TestInstructionMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []*instruction{
		{},
		{protocolVersion: 2, newNum: 1},
		{protocolVersion: math.MaxUint32, oldNum: math.MaxUint64, newNum: math.MaxUint64, ackNum: math.MaxUint64, throwawayNum: math.MaxUint64, diff: []byte{}, chaff: []byte{}},
		keystroke(9),
	}
	for range 2000 {
		cases = append(cases, randInstruction(r))
	}
	for _, inst := range cases {
		got, want := inst.marshalRaw(), refMarshal(inst)
		if !bytes.Equal(got, want) {
			t.Fatalf("%+v:\nhand      %X\ngenerated %X", inst, got, want)
		}
		if len(got) != inst.sizeRaw() {
			t.Fatalf("sizeRaw %d, encoded %d bytes", inst.sizeRaw(), len(got))
		}
		back, err := decodeInstruction(got)
		if err != nil || !back.equal(inst) {
			t.Fatalf("round trip of %+v = %+v, %v", inst, back, err)
		}
	}
}

// randWire builds an instruction message the way another implementation
// might: fields missing, repeated, out of order, of the wrong wire type,
// unknown ones (groups too), and sometimes a malformed tail.
func randWire(r *rand.Rand) []byte {
	var b []byte
	for range r.IntN(12) {
		num := protowire.Number(1 + r.IntN(9))
		switch r.IntN(8) {
		case 0:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendBytes(b, randBytes(r))
		case 1:
			b = protowire.AppendTag(b, num, protowire.Fixed32Type)
			b = protowire.AppendFixed32(b, r.Uint32())
		case 2:
			b = protowire.AppendTag(b, num, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, r.Uint64())
		case 3:
			b = protowire.AppendTag(b, num, protowire.StartGroupType)
			b = appendVarintField(b, 1, randUint64(r))
			b = protowire.AppendTag(b, num, protowire.EndGroupType)
		case 4:
			b = appendVarintField(b, protowire.Number(1+r.IntN(1<<20)), randUint64(r))
		default:
			b = appendVarintField(b, num, randUint64(r))
		}
	}
	if r.IntN(4) == 0 {
		bad := [][]byte{
			{0x32, 0x05, 1},    // length past the end
			{0x08},             // value missing
			{0x08, 0xFF},       // truncated varint
			{0x00, 0x01},       // field number 0
			{0x0C},             // end group without start
			{0x0B, 0x08, 0x01}, // group never closed
			{0x0F, 0x00},       // reserved wire type 7
			{0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, // varint overflow
		}
		b = append(b, bad[r.IntN(len(bad))]...)
	}
	return b
}

// sameDecode checks that both decoders accept or reject raw alike and agree
// on the result.
func sameDecode(t *testing.T, raw []byte) {
	t.Helper()
	want, wantErr := refDecode(raw)
	got, err := decodeInstruction(raw)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%X: hand err %v, generated err %v", raw, err, wantErr)
	}
	if err == nil && !sameInstruction(got, want) {
		t.Fatalf("%X:\nhand      %+v\ngenerated %+v", raw, got, want)
	}
}

func TestInstructionDecodeMatchesGeneratedCode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		sameDecode(t, randWire(r))
	}
	// Hand-picked: empty message, last value wins, wrong wire type skipped.
	for _, h := range []string{"", "0802 0803", "3201AA 3200", "0D01020304 0807", "3A00 3201FF 3A01EE"} {
		sameDecode(t, unhex(t, h))
	}
}

// An inflater decodes each instruction into its own reused buffers,
// valid until its next call (the transport applies the diff, and
// State.Apply copies what it keeps, before it reads another datagram).
// The next instruction must not inherit a field the previous one had, and
// an append to a diff must not run into the chaff.
func TestDecodedInstructionReuse(t *testing.T) {
	var f inflater
	a, err := f.unmarshal((&instruction{oldNum: 3, newNum: 4, diff: []byte("first"), chaff: []byte{1, 2}}).marshal())
	if err != nil {
		t.Fatal(err)
	}
	if a.oldNum != 3 || a.newNum != 4 || string(a.diff) != "first" || !bytes.Equal(a.chaff, []byte{1, 2}) {
		t.Fatalf("first instruction %+v", a)
	}
	a.diff = append(a.diff, 'Z')
	if !bytes.Equal(a.chaff, []byte{1, 2}) {
		t.Fatalf("appending to diff changed chaff to %X", a.chaff)
	}
	// protocol_version and new_num only: everything else reads as zero.
	b, err := f.unmarshal(deflate(unhex(t, "0802 1805")))
	if err != nil {
		t.Fatal(err)
	}
	if b.protocolVersion != 2 || b.newNum != 5 || b.oldNum != 0 || b.diff != nil || b.chaff != nil {
		t.Errorf("second instruction %+v kept fields of the first", b)
	}
	if _, err := f.unmarshal(deflate([]byte{0x32, 0x05, 1})); err != errParse {
		t.Errorf("malformed instruction: err %v, want errParse", err)
	}
}

// FuzzInstructionDecode is a differential fuzz target: the hand-written
// decoder and proto.Unmarshal accept and reject alike, with the same result.
func FuzzInstructionDecode(f *testing.F) {
	f.Add(keystroke(9).marshalRaw())
	f.Add(unhex(f, "0802 1805 4001"))
	f.Add(unhex(f, "0B0801 0C 3200"))
	f.Add([]byte{0x32, 0x05, 1})
	r := rand.New(rand.NewPCG(7, 8))
	for range 20 {
		f.Add(randWire(r))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameDecode(t, raw)
	})
}
