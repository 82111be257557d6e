package statesync

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/mux/statesync/internal/statepb/userpb"
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
// (mosh-protocol.md §5.1). It is empty when there is nothing new.
func (s *UserStream) DiffFrom(old *UserStream) []byte {
	evs := mergeEvents(s.from(old.End()))
	if len(evs) == 0 {
		return nil
	}
	msg := &userpb.UserMessage{Instruction: make([]*userpb.Instruction, 0, len(evs))}
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
		// Marshal fails only on invalid UTF-8 in string fields or
		// required fields; these messages have neither.
		panic(fmt.Sprintf("statesync: marshal user message: %v", err))
	}
	return b
}

// errUserMessage reports a diff that is not a ClientBuffers.UserMessage.
var errUserMessage = errors.New("statesync: malformed user message")

// Apply appends the events a DiffFrom diff carries. Instructions with no
// extension known to mosh (e.g. a newer gosh's) are skipped, as mosh does.
func (s *UserStream) Apply(diff []byte) error {
	if len(diff) == 0 {
		return nil
	}
	var msg userpb.UserMessage
	if err := proto.Unmarshal(diff, &msg); err != nil {
		return fmt.Errorf("%w: %v", errUserMessage, err)
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
