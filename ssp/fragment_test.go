package ssp

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"
)

func inflate(t testing.TB, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInstructionWire checks the serialised form against protobuf wire
// format written out by hand: all seven fields present, in field order,
// even the empty diff and chaff, as mosh writes them (proto2 has-bits).
func TestInstructionWire(t *testing.T) {
	inst := instruction{protocolVersion: 2, oldNum: 0, newNum: 1, ackNum: 0, throwawayNum: 0}
	z := inst.marshal()
	if z[0] != 0x78 || z[1] != 0x9C {
		t.Errorf("zlib header %X, want 789C (default level)", z[:2])
	}
	want := unhex(t, "0802 1000 1801 2000 2800 3200 3A00")
	if got := inflate(t, z); !bytes.Equal(got, want) {
		t.Errorf("wire = %X, want %X", got, want)
	}
	inst = instruction{2, 300, ShutdownNum, 7, 5, []byte("ab"), []byte{9}}
	want = unhex(t, "0802 10AC02 18FFFFFFFFFFFFFFFFFF01 2007 2805 32026162 3A0109")
	if got := inflate(t, inst.marshal()); !bytes.Equal(got, want) {
		t.Errorf("wire = %X, want %X", got, want)
	}
	back, err := unmarshalInstruction(inst.marshal())
	if err != nil || !back.equal(&inst) {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestInstructionDecodeErrors(t *testing.T) {
	// Missing fields read as zero (a decoder must accept them).
	inst, err := unmarshalInstruction(deflate(unhex(t, "0802 1805")))
	if err != nil || inst.protocolVersion != 2 || inst.newNum != 5 || inst.oldNum != 0 || inst.diff != nil {
		t.Errorf("sparse instruction = %+v, %v", inst, err)
	}
	// Unknown fields are ignored (room for extensions).
	if _, err := unmarshalInstruction(deflate(unhex(t, "0802 4001"))); err != nil {
		t.Errorf("unknown field rejected: %v", err)
	}
	if _, err := unmarshalInstruction([]byte("not zlib")); err != errInflate {
		t.Errorf("garbage: %v", err)
	}
	if _, err := unmarshalInstruction(deflate([]byte{0x32, 0x05, 1})); err != errParse {
		t.Errorf("truncated protobuf: %v", err)
	}
	if _, err := unmarshalInstruction(deflate(make([]byte, maxInstruction+1))); err != errInflate {
		t.Errorf("over 4 MiB: %v", err)
	}
}

func TestFragmentHeader(t *testing.T) {
	f := fragment{id: 1, num: 0, final: true, contents: []byte{0xAB}}
	if got, want := f.appendTo(nil), unhex(t, "0000000000000001 8000 AB"); !bytes.Equal(got, want) {
		t.Errorf("header = %X, want %X", got, want)
	}
	f = fragment{id: 0x0102030405060708, num: 0x7FFF}
	back, err := parseFragment(f.appendTo(nil))
	if err != nil || back.id != f.id || back.num != 0x7FFF || back.final {
		t.Errorf("parse = %+v %v", back, err)
	}
	if _, err := parseFragment(make([]byte, 9)); err == nil {
		t.Error("accepted a 9-byte fragment")
	}
}

// cloneFragments copies what fragmenter.fragments returned, which its next
// call overwrites.
func cloneFragments(fs []fragment, _ error) []fragment {
	out := make([]fragment, len(fs))
	for i, f := range fs {
		out[i] = f
		out[i].contents = bytes.Clone(f.contents)
	}
	return out
}

func TestFragmenterIDs(t *testing.T) {
	var f fragmenter
	inst := instruction{protocolVersion: 2, newNum: 1, chaff: []byte{1}}
	a := cloneFragments(f.fragments(&inst, 1214))
	if a[0].id != 1 {
		t.Errorf("first id = %d, want 1", a[0].id)
	}
	// An identical instruction keeps its id and bytes (mosh asserts that
	// equal ids carry equal fragments).
	b, _ := f.fragments(&inst, 1214)
	if b[0].id != 1 || !bytes.Equal(a[0].contents, b[0].contents) {
		t.Error("identical instruction got a new id or different bytes")
	}
	for _, change := range []func(*instruction){
		func(i *instruction) { i.ackNum++ },
		func(i *instruction) { i.diff = []byte("x") },
		func(i *instruction) { i.chaff = []byte{2} },
	} {
		prev := f.nextID
		change(&inst)
		c, _ := f.fragments(&inst, 1214)
		if c[0].id != prev+1 {
			t.Errorf("changed instruction: id %d, want %d", c[0].id, prev+1)
		}
	}
	prev := f.nextID
	c, _ := f.fragments(&inst, 1178) // MTU changed (IPv6)
	if c[0].id != prev+1 {
		t.Error("new fragment size kept the id")
	}
}

func TestFragmentSplitAndReassemble(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	diff := make([]byte, 5000)
	for i := range diff {
		diff[i] = byte(rng.Uint32()) // incompressible
	}
	var f fragmenter
	inst := instruction{protocolVersion: 2, newNum: 3, diff: diff}
	frags, err := f.fragments(&inst, 1214)
	frags = cloneFragments(frags, err) // the next fragments call reuses them
	if err != nil {
		t.Fatal(err)
	}
	if len(frags) != 5 {
		t.Fatalf("%d fragments, want 5 (5000+ bytes / 1214)", len(frags))
	}
	for i, fr := range frags {
		if int(fr.num) != i || fr.final != (i == 4) || (i < 4 && len(fr.contents) != 1214) {
			t.Errorf("fragment %d: num %d final %v len %d", i, fr.num, fr.final, len(fr.contents))
		}
	}
	// Any order, with duplicates, reassembles once.
	var r reassembly
	var got []byte
	completions := 0
	for _, i := range []int{4, 2, 2, 0, 3, 1, 1, 4} {
		z, err := r.add(frags[i])
		if err != nil {
			t.Fatal(err)
		}
		if z != nil {
			got = z
			completions++
		}
	}
	if completions != 1 {
		t.Errorf("completed %d times, want 1", completions)
	}
	back, err := unmarshalInstruction(got)
	if err != nil || !bytes.Equal(back.diff, diff) {
		t.Fatalf("reassembled instruction differs: %v", err)
	}

	// A fragment of another id abandons the partial one.
	inst2 := instruction{protocolVersion: 2, newNum: 4, diff: diff[:3000]}
	frags2, _ := f.fragments(&inst2, 1214)
	r = reassembly{}
	r.add(frags2[0])
	r.add(frags[0])
	for _, fr := range frags2[1:] {
		if z, _ := r.add(fr); z != nil {
			t.Fatal("completed an instruction whose fragment 0 was discarded")
		}
	}
	// A final fragment below an index already seen is an error (mosh
	// would assert).
	r = reassembly{}
	r.add(frags[3])
	bad := frags[1]
	bad.final = true
	if _, err := r.add(bad); err == nil {
		t.Error("accepted a final fragment before a later index")
	}
}

func FuzzFragments(f *testing.F) {
	var fr fragmenter
	inst := instruction{protocolVersion: 2, newNum: 1, diff: bytes.Repeat([]byte("abc"), 1000)}
	frags, _ := fr.fragments(&inst, 100)
	var seed []byte
	for _, x := range frags {
		b := x.appendTo(nil)
		seed = binary.BigEndian.AppendUint16(seed, uint16(len(b)))
		seed = append(seed, b...)
	}
	f.Add(seed)
	f.Add([]byte{0, 10, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		// data is a sequence of length-prefixed fragments.
		var r reassembly
		for len(data) >= 2 {
			n := int(binary.BigEndian.Uint16(data))
			data = data[2:]
			if n > len(data) {
				n = len(data)
			}
			p, err := parseFragment(data[:n])
			data = data[n:]
			if err != nil {
				continue
			}
			z, err := r.add(p)
			if err == nil && z != nil {
				unmarshalInstruction(z)
			}
		}
	})
}

func FuzzInstruction(f *testing.F) {
	f.Add((&instruction{protocolVersion: 2, newNum: 1, diff: []byte("x")}).marshal())
	f.Add(deflate(unhex(f, "0802 1805")))
	f.Add([]byte{0x78, 0x9C})
	f.Fuzz(func(t *testing.T, z []byte) {
		inst, err := unmarshalInstruction(z)
		if err != nil {
			return
		}
		// Whatever parses re-serialises and parses to the same thing.
		back, err := unmarshalInstruction(inst.marshal())
		if err != nil || back.protocolVersion != inst.protocolVersion || back.newNum != inst.newNum ||
			!bytes.Equal(back.diff, inst.diff) {
			t.Fatalf("round trip changed %+v into %+v (%v)", inst, back, err)
		}
	})
}

// TestReassembleSingleFragment: an instruction in one fragment (a
// keystroke, an echo) completes at once with its contents, and a
// duplicate of it (a replayed datagram) completes nothing.
func TestReassembleSingleFragment(t *testing.T) {
	var f fragmenter
	inst := instruction{protocolVersion: 2, newNum: 7, diff: []byte("x")}
	frags := cloneFragments(f.fragments(&inst, 1214))
	if len(frags) != 1 {
		t.Fatalf("%d fragments, want 1", len(frags))
	}
	var r reassembly
	z, err := r.add(frags[0])
	if err != nil || z == nil {
		t.Fatalf("add = %v, %v; want the instruction", z, err)
	}
	back, err := unmarshalInstruction(z)
	if err != nil || back.newNum != 7 || string(back.diff) != "x" {
		t.Fatalf("instruction = %+v, %v", back, err)
	}
	if z, err := r.add(frags[0]); z != nil || err != nil {
		t.Errorf("duplicate completed again: %v, %v", z, err)
	}
}
