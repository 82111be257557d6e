package ssptest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/goshterm/gosh/ssp"
)

// Log is a toy State: an append-only byte log, like mosh's UserStream.
// It remembers absolute offsets, so Subtract (forgetting an acknowledged
// prefix) keeps diffs exact, and its diffs name the offset they start at,
// so a diff applied to the wrong reference state is detected (Apply
// fails) instead of silently corrupting the log.
type Log struct {
	off  uint64 // absolute offset of data[0]
	data []byte
}

var _ ssp.State[*Log] = (*Log)(nil)

// NewLog returns an empty log.
func NewLog() *Log { return &Log{} }

// Append adds bytes at the end.
func (l *Log) Append(b []byte) { l.data = append(l.data, b...) }

// End is the absolute length: bytes ever appended.
func (l *Log) End() uint64 { return l.off + uint64(len(l.data)) }

// Bytes returns the bytes still held (after Subtract, a suffix).
func (l *Log) Bytes() []byte { return l.data }

// Clone implements ssp.State.
func (l *Log) Clone() *Log { return &Log{off: l.off, data: bytes.Clone(l.data)} }

// Equal implements ssp.State: same length and the same bytes where both
// still hold them.
func (l *Log) Equal(o *Log) bool {
	if l.End() != o.End() {
		return false
	}
	start := max(l.off, o.off)
	return bytes.Equal(l.data[start-l.off:], o.data[start-o.off:])
}

// DiffFrom implements ssp.State: uvarint(old.End()) ‖ the bytes after it,
// or nothing when equal.
func (l *Log) DiffFrom(old *Log) []byte {
	if old.End() == l.End() {
		return nil
	}
	if old.End() < l.off || old.End() > l.End() {
		panic(fmt.Sprintf("ssptest: diff from %d..%d to %d..%d: not a prefix", old.off, old.End(), l.off, l.End()))
	}
	d := binary.AppendUvarint(nil, old.End())
	return append(d, l.data[old.End()-l.off:]...)
}

// Apply implements ssp.State.
func (l *Log) Apply(diff []byte) error {
	start, n := binary.Uvarint(diff)
	if n <= 0 {
		return errors.New("ssptest: bad diff header")
	}
	if start != l.End() {
		return fmt.Errorf("ssptest: diff starts at %d, log ends at %d", start, l.End())
	}
	l.data = append(l.data, diff[n:]...)
	return nil
}

// Subtract implements ssp.State: forget the bytes prefix holds.
func (l *Log) Subtract(prefix *Log) {
	end := min(prefix.End(), l.End())
	if end <= l.off {
		return
	}
	cut := end - l.off
	l.data = append([]byte(nil), l.data[cut:]...)
	l.off = end
}
