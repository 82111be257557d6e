package statesync

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The wire bytes mosh 1.4 produces, from mosh-protocol.md §5.1 ([verified]
// there against a real mosh-server) and derived by hand from the proto2
// field numbers for the others.
func TestUserStreamWireEncoding(t *testing.T) {
	tests := []struct {
		name string
		push func(s *UserStream)
		want string
	}{
		{"resize 80x24", func(s *UserStream) { s.PushResize(80, 24) }, "0a061a0428503018"},
		// UserMessage{Instruction{keystroke(2){keys(4)="ab"}}}
		{"keys ab", func(s *UserStream) { s.PushKeys([]byte("ab")) }, "0a06120422026162"},
		// Bytes pushed separately merge into one Keystroke; a resize
		// splits runs.
		{"merge and split", func(s *UserStream) {
			s.PushKeys([]byte("a"))
			s.PushKeys([]byte("b"))
			s.PushResize(80, 24)
			s.PushKeys([]byte("c"))
		}, "0a06120422026162" + "0a061a0428503018" + "0a0512032201" + "63"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewUserStream()
			tc.push(s)
			got := s.DiffFrom(NewUserStream())
			if want := mustHex(t, tc.want); !bytes.Equal(got, want) {
				t.Errorf("DiffFrom = % x, want % x", got, want)
			}
		})
	}
}

func TestUserStreamDiffIsSuffix(t *testing.T) {
	s := NewUserStream()
	s.PushKeys([]byte("echo "))
	old := s.Clone()
	s.PushKeys([]byte("hi\r"))
	s.PushResize(100, 30)

	r := old.Clone() // the receiver holds old
	if err := r.Apply(s.DiffFrom(old)); err != nil {
		t.Fatal(err)
	}
	if !r.Equal(s) {
		t.Fatalf("receiver ends at %d, sender at %d", r.End(), s.End())
	}
	got, next := r.EventsSince(old.End())
	want := []Event{{Keys: []byte("hi\r")}, {Width: 100, Height: 30}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EventsSince = %+v, want %+v", got, want)
	}
	if next != 9 {
		t.Errorf("next position = %d, want 9", next)
	}
	if evs, _ := r.EventsSince(next); len(evs) != 0 {
		t.Errorf("nothing new expected, got %+v", evs)
	}
	if d := s.DiffFrom(s.Clone()); len(d) != 0 {
		t.Errorf("diff from an equal state = % x, want empty", d)
	}
}

func TestUserStreamSubtractKeepsPositions(t *testing.T) {
	s := NewUserStream()
	s.PushKeys([]byte("abc"))
	acked := s.Clone()
	s.PushKeys([]byte("de"))
	sent := s.Clone()
	s.PushKeys([]byte("f"))

	// The transport subtracts the acked state from every state it keeps.
	s.Subtract(acked)
	sent.Subtract(acked)
	acked.Subtract(acked)
	if s.End() != 6 || len(s.events) != 3 {
		t.Fatalf("after subtract: end %d, held %d; want 6, 3", s.End(), len(s.events))
	}
	if len(acked.events) != 0 || acked.End() != 3 {
		t.Fatalf("acked minus itself: end %d, held %d", acked.End(), len(acked.events))
	}
	// A peer holding "abcde" gets just "f".
	want := NewUserStream()
	want.PushKeys([]byte("f"))
	if got := s.DiffFrom(sent); !bytes.Equal(got, want.DiffFrom(NewUserStream())) {
		t.Errorf("diff after subtract = % x", got)
	}
	// A peer holding only "abc" gets "def" as one Keystroke.
	if got := s.DiffFrom(acked); !bytes.Equal(got, mustHex(t, "0a0712052203646566")) {
		t.Errorf("diff from acked = % x", got)
	}
	evs, _ := s.EventsSince(0) // positions before base are gone
	if !reflect.DeepEqual(evs, []Event{{Keys: []byte("def")}}) {
		t.Errorf("EventsSince(0) after subtract = %+v", evs)
	}
}

func TestUserStreamCloneIndependent(t *testing.T) {
	s := NewUserStream()
	s.PushKeys([]byte("ab"))
	c := s.Clone()
	c.PushKeys([]byte("X"))
	s.PushKeys([]byte("Y"))
	a, _ := s.EventsSince(0)
	b, _ := c.EventsSince(0)
	if string(a[0].Keys) != "abY" || string(b[0].Keys) != "abX" {
		t.Errorf("clone shares appends: %q %q", a[0].Keys, b[0].Keys)
	}
}

func TestUserStreamApplySkipsUnknownExtensions(t *testing.T) {
	// Instruction{field 9: empty message}, then a keystroke "x". A newer
	// gosh's extension must be skipped, as mosh skips it.
	diff := mustHex(t, "0a024a00"+"0a0512032201"+"78")
	s := NewUserStream()
	if err := s.Apply(diff); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.EventsSince(0)
	if !reflect.DeepEqual(evs, []Event{{Keys: []byte("x")}}) {
		t.Errorf("events = %+v", evs)
	}
}

func TestUserStreamApplyRejectsGarbage(t *testing.T) {
	s := NewUserStream()
	if err := s.Apply([]byte{0x0a, 0x10, 0x01}); err == nil {
		t.Error("truncated message accepted")
	}
}

func FuzzApply(f *testing.F) {
	f.Add(mustHex(f, "0a061a0428503018"))
	f.Add(mustHex(f, "0a06120422026162"))
	f.Add(mustHex(f, "0a024a00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, diff []byte) {
		s := NewUserStream()
		s.PushKeys([]byte("pre"))
		old := s.Clone()
		if err := s.Apply(diff); err != nil {
			return
		}
		// Whatever was accepted re-encodes to a diff that reproduces it.
		r := old.Clone()
		if err := r.Apply(s.DiffFrom(old)); err != nil {
			t.Fatalf("re-encoded diff rejected: %v", err)
		}
		a, _ := s.EventsSince(0)
		b, _ := r.EventsSince(0)
		if !reflect.DeepEqual(a, b) || r.End() != s.End() {
			t.Fatalf("round trip differs: %+v vs %+v", a, b)
		}
	})
}
