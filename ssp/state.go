package ssp

// State is what one side of a Transport synchronises to the other: the
// user's input stream (client → server) or the terminal frame (server →
// client). The transport knows nothing else about it; diffs are opaque
// bytes that the State type produces and consumes.
//
// S is the concrete type itself (type UserStream struct{…} implements
// State[*UserStream]). Implementations need not be safe for concurrent use:
// a Transport calls them from its own event loop only.
type State[S any] interface {
	// Clone returns an independent copy: changing either afterwards must not
	// change the other. It is called for every numbered state, so it should
	// be cheap (copy-on-write where the state is large).
	Clone() S
	// Equal reports whether the two states would produce no diff.
	Equal(other S) bool
	// DiffFrom returns the bytes that turn old into the receiver, for a
	// peer that holds old. An empty diff means the states are equal.
	DiffFrom(old S) []byte
	// Apply changes the receiver by a diff that DiffFrom produced. A diff
	// that does not decode returns an error; the transport then drops the
	// whole instruction, so Apply may leave the receiver half-changed (it is
	// always called on a fresh clone).
	// diff is the transport's buffer, valid only during the call: Apply
	// copies what it keeps.
	Apply(diff []byte) error
	// Subtract forgets what prefix already holds, for states that are logs
	// (mosh's UserStream drops events the peer has acknowledged). States
	// that are snapshots implement it as a no-op.
	Subtract(prefix S)
}

// Recycler is an optional capability of a State: a Clone that reuses the
// memory of a state the Transport has retired. A sender clones its
// current state for every state number it sends and drops those states
// once the peer acknowledges a newer one; with a Recycler it keeps a few
// dropped ones and clones into them, so that a frame per keystroke does
// not allocate a fresh copy each time.
//
// The Transport passes as old only a state it made itself with Clone or
// CloneInto, never handed to the application and never used again after
// the call. Parts of old that other clones may share (copy-on-write
// rows) must be left alone: only what old alone refers to may be reused.
type Recycler[S any] interface {
	// CloneInto returns a copy of the receiver as Clone does, built in
	// old's memory where it can; old may be nil.
	CloneInto(old S) S
}

// DiffAppender is an optional capability of a State: DiffFrom appending to
// dst, a buffer the Transport reuses from send to send. The Transport is
// done with the diff before it asks for the next one.
type DiffAppender[S any] interface {
	// AppendDiffFrom appends DiffFrom(old) to dst and returns the result;
	// an empty diff appends nothing.
	AppendDiffFrom(dst []byte, old S) []byte
}
