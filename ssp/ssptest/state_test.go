package ssptest

import (
	"bytes"
	"testing"
)

func TestLogDiffSubtract(t *testing.T) {
	a := NewLog()
	a.Append([]byte("hello"))
	b := a.Clone()
	b.Append([]byte(" world"))
	if a.Equal(b) || !b.Equal(b.Clone()) {
		t.Fatal("Equal")
	}
	d := b.DiffFrom(a)
	c := a.Clone()
	if err := c.Apply(d); err != nil || !c.Equal(b) {
		t.Fatalf("Apply(DiffFrom) = %q, %v", c.Bytes(), err)
	}
	// A diff applied to the wrong base is refused, not misapplied.
	if err := b.Clone().Apply(d); err == nil {
		t.Error("diff applied to a state it was not made from")
	}
	// Subtract forgets the prefix but keeps absolute positions.
	b.Subtract(a)
	if string(b.Bytes()) != " world" || b.End() != 11 {
		t.Errorf("after Subtract: %q end %d", b.Bytes(), b.End())
	}
	c.Append([]byte("!"))
	if got := c.DiffFrom(b); string(got[1:]) != "!" {
		t.Errorf("diff across a subtracted state = %q", got)
	}
	if len(b.DiffFrom(b.Clone())) != 0 {
		t.Error("equal states gave a non-empty diff")
	}
}

func TestScreenDiff(t *testing.T) {
	a := NewScreen(20)
	b := a.Clone()
	b.Write([]byte("hello, this wraps around"))
	d := b.DiffFrom(a)
	c := a.Clone()
	if err := c.Apply(d); err != nil || !c.Equal(b) {
		t.Fatalf("Apply(DiffFrom) = %q, %v", c.Bytes(), err)
	}
	if len(d) > 20+8 {
		t.Errorf("diff of a 20-cell screen is %d bytes", len(d))
	}
	if !bytes.Equal(a.Bytes(), bytes.Repeat([]byte(" "), 20)) {
		t.Error("Clone shares cells")
	}
	for _, bad := range [][]byte{{}, {200}, {0, 19, 5, 'x'}} {
		if err := a.Clone().Apply(bad); err == nil {
			t.Errorf("Apply(%v) accepted", bad)
		}
	}
}
