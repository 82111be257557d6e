package ssptest

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/goshterm/gosh/ssp"
)

// Screen is a toy snapshot State shaped like a terminal frame: a fixed
// buffer that output overwrites, wrapping around at the end. Its diff is
// the runs of changed bytes, so a diff is never larger than the screen
// however much output scrolled past (as with mosh's frames).
type Screen struct {
	cells  []byte
	cursor int
}

var _ ssp.State[*Screen] = (*Screen)(nil)

// NewScreen returns a blank screen of n cells.
func NewScreen(n int) *Screen { return &Screen{cells: bytes.Repeat([]byte{' '}, n)} }

// Write puts b at the cursor, wrapping around.
func (s *Screen) Write(b []byte) {
	for _, c := range b {
		s.cells[s.cursor] = c
		s.cursor = (s.cursor + 1) % len(s.cells)
	}
}

// Bytes returns the cells.
func (s *Screen) Bytes() []byte { return s.cells }

// Clone implements ssp.State.
func (s *Screen) Clone() *Screen { return &Screen{cells: bytes.Clone(s.cells), cursor: s.cursor} }

// Equal implements ssp.State.
func (s *Screen) Equal(o *Screen) bool { return s.cursor == o.cursor && bytes.Equal(s.cells, o.cells) }

// DiffFrom implements ssp.State: uvarint cursor, then (uvarint offset,
// uvarint length, bytes) per changed run.
func (s *Screen) DiffFrom(old *Screen) []byte {
	if s.Equal(old) {
		return nil
	}
	d := binary.AppendUvarint(nil, uint64(s.cursor))
	for i := 0; i < len(s.cells); {
		if i < len(old.cells) && s.cells[i] == old.cells[i] {
			i++
			continue
		}
		j := i
		for j < len(s.cells) && (j >= len(old.cells) || s.cells[j] != old.cells[j]) {
			j++
		}
		d = binary.AppendUvarint(d, uint64(i))
		d = binary.AppendUvarint(d, uint64(j-i))
		d = append(d, s.cells[i:j]...)
		i = j
	}
	return d
}

var errScreenDiff = errors.New("ssptest: bad screen diff")

// Apply implements ssp.State.
func (s *Screen) Apply(d []byte) error {
	cur, n := binary.Uvarint(d)
	if n <= 0 || cur >= uint64(len(s.cells)) {
		return errScreenDiff
	}
	d = d[n:]
	for len(d) > 0 {
		off, n1 := binary.Uvarint(d)
		if n1 <= 0 {
			return errScreenDiff
		}
		l, n2 := binary.Uvarint(d[n1:])
		if n2 <= 0 || off+l > uint64(len(s.cells)) || uint64(len(d)-n1-n2) < l {
			return errScreenDiff
		}
		d = d[n1+n2:]
		copy(s.cells[off:], d[:l])
		d = d[l:]
	}
	s.cursor = int(cur)
	return nil
}

// Subtract implements ssp.State: a snapshot has nothing to forget.
func (s *Screen) Subtract(*Screen) {}
