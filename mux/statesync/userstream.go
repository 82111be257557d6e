package statesync

import (
	"errors"
	"fmt"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/goshterm/gosh/ssp"
)

// Event is one user action from the client: keystroke bytes, or (when Keys
// is nil) a window resize to Width×Height cells.
type Event struct {
	Keys          []byte
	Width, Height int
}

// IsResize reports whether e is a resize rather than keystrokes.
func (e Event) IsResize() bool { return e.Keys == nil }

// userEvent is one position of the stream: a single byte or a resize. One
// byte per position keeps positions identical to mosh's UserEvent deque, so
// that prefixes never split a keystroke run differently on the two sides.
type userEvent struct {
	resize bool
	b      byte
	w, h   int32
}

// UserStream is the client → server state: the user's input log. The zero
// value is an empty stream at position 0. It is not safe for concurrent use.
type UserStream struct {
	base   uint64      // absolute position of events[0]
	events []userEvent // never modified in place once shared (append-only, capped on Clone)
}

var _ ssp.State[*UserStream] = (*UserStream)(nil)

// NewUserStream returns an empty stream.
func NewUserStream() *UserStream { return &UserStream{} }

// PushKeys appends keystroke bytes (raw terminal input) to the stream.
func (s *UserStream) PushKeys(keys []byte) {
	for _, b := range keys {
		s.events = append(s.events, userEvent{b: b})
	}
}

// PushResize appends a window resize to the stream.
func (s *UserStream) PushResize(width, height int) {
	s.events = append(s.events, userEvent{resize: true, w: int32(width), h: int32(height)})
}

// End is the absolute position just past the newest event: the number of
// events the stream has ever held. Servers remember it to ask EventsSince
// for what they have not consumed yet.
func (s *UserStream) End() uint64 { return s.base + uint64(len(s.events)) }

// EventsSince returns the events at absolute positions ≥ pos, with runs of
// keystroke bytes merged into one Event, and the position to pass next time.
// If the stream no longer holds some positions ≥ pos (they were subtracted),
// it returns what it still holds.
func (s *UserStream) EventsSince(pos uint64) ([]Event, uint64) {
	return mergeEvents(s.from(pos)), s.End()
}

// from returns the held events at absolute positions ≥ pos.
func (s *UserStream) from(pos uint64) []userEvent {
	if pos <= s.base {
		return s.events
	}
	if pos >= s.End() {
		return nil
	}
	return s.events[pos-s.base:]
}

func mergeEvents(evs []userEvent) []Event {
	var out []Event
	for _, e := range evs {
		if e.resize {
			out = append(out, Event{Width: int(e.w), Height: int(e.h)})
			continue
		}
		if n := len(out); n > 0 && !out[n-1].IsResize() {
			out[n-1].Keys = append(out[n-1].Keys, e.b)
			continue
		}
		out = append(out, Event{Keys: []byte{e.b}})
	}
	return out
}

// Clone returns an independent copy. The event slice is shared but capped,
// so that an append to either copy reallocates instead of overwriting.
func (s *UserStream) Clone() *UserStream {
	return &UserStream{base: s.base, events: s.events[:len(s.events):len(s.events)]}
}

// CloneInto is Clone reusing old's struct (ssp.Recycler); the events stay
// shared as Clone shares them. old must not be used again.
func (s *UserStream) CloneInto(old *UserStream) *UserStream {
	if old == nil || old == s {
		return s.Clone()
	}
	*old = UserStream{base: s.base, events: s.events[:len(s.events):len(s.events)]}
	return old
}

var _ ssp.Recycler[*UserStream] = (*UserStream)(nil)

// Equal reports whether the two streams end at the same position. Because
// states of one stream are prefix-related, equal ends mean no diff.
func (s *UserStream) Equal(other *UserStream) bool { return s.End() == other.End() }

// Subtract forgets the events that prefix holds (the peer acknowledged
// them), as mosh's UserStream::subtract does.
func (s *UserStream) Subtract(prefix *UserStream) {
	end := prefix.End()
	if end <= s.base {
		return
	}
	if end >= s.End() {
		s.base, s.events = s.End(), nil
		return
	}
	s.events = s.events[end-s.base:]
	s.base = end
}

// DiffFrom returns a serialized ClientBuffers.UserMessage holding the events
// after old's end: one Keystroke instruction per run of bytes and one
// ResizeMessage instruction per resize, exactly as mosh encodes them
// (mosh-protocol.md §5.1). It is empty when there is nothing new. The bytes
// are those proto.Marshal makes of the message (wire.go), built in one
// allocation.
func (s *UserStream) DiffFrom(old *UserStream) []byte { return s.AppendDiffFrom(nil, old) }

var _ ssp.DiffAppender[*UserStream] = (*UserStream)(nil)

// AppendDiffFrom appends DiffFrom(old) to dst (ssp.DiffAppender).
func (s *UserStream) AppendDiffFrom(dst []byte, old *UserStream) []byte {
	evs := s.from(old.End())
	size := 0
	for i := 0; i < len(evs); {
		n := keyRun(evs[i:])
		if n == 0 {
			size += sizeInstruction(sizeResize(evs[i].w, evs[i].h))
			i++
			continue
		}
		size += sizeInstruction(sizeField(n))
		i += n
	}
	if size == 0 {
		return dst
	}
	b := slices.Grow(dst, size)
	for i := 0; i < len(evs); {
		n := keyRun(evs[i:])
		if n == 0 {
			e := evs[i]
			b = appendInstruction(b, extUserResize, sizeResize(e.w, e.h))
			b = appendResize(b, e.w, e.h)
			i++
			continue
		}
		b = appendInstruction(b, extKeystroke, sizeField(n))
		b = protowire.AppendTag(b, fieldKeys, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(n))
		for _, e := range evs[i : i+n] {
			b = append(b, e.b)
		}
		i += n
	}
	return b
}

// keyRun is the number of keystroke bytes at the start of evs.
func keyRun(evs []userEvent) int {
	for i, e := range evs {
		if e.resize {
			return i
		}
	}
	return len(evs)
}

// errUserMessage reports a diff that is not a ClientBuffers.UserMessage.
var errUserMessage = errors.New("statesync: malformed user message")

// Apply appends the events a DiffFrom diff carries. Instructions with no
// extension known to mosh (e.g. a newer gosh's) are skipped, as mosh does;
// one carrying both is taken as its Keystroke. A diff that does not decode
// changes nothing.
func (s *UserStream) Apply(diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	err := walkInstructions(diff, func(b []byte) error {
		_, err := decodeUserInstruction(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w: %v", errUserMessage, err)
	}
	return walkInstructions(diff, func(b []byte) error {
		in, _ := decodeUserInstruction(b)
		switch {
		case in.has&hasKeystroke != 0:
			s.PushKeys(in.keys)
		case in.has&hasUserResize != 0:
			s.PushResize(int(in.w), int(in.h))
		}
		return nil
	})
}
