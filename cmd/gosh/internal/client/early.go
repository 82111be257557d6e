package client

import "github.com/goshterm/gosh/vt"

// The early draw: a client the daemon hosts draws each frame the daemon
// composes for it as soon as it is composed, on the composing goroutine,
// before the frame comes through the transport (mux.HostedLink, which
// says why). The frame still comes, and the replica, the prediction
// engine and the renderer handle it as always: render finds it on the
// screen already and draws nothing.
//
// The loop holds loopMu whenever it is not waiting, so an early draw
// happens only between two of its passes, and never while it is busy:
// then the frame simply comes the usual way.

// EarlySource hands a client frames composed in its own process before its
// transport carries them (mux.HostedLink).
type EarlySource interface {
	SetEarlyDraw(draw func(frame *vt.Screen, sent uint64))
}

// drawEarly draws frame, which the server composed after its transport
// had sent states up to sent, if nothing else is on the screen: the view
// shown is a server frame (the replica, or an earlier early frame), with
// no guesses and no notice bar over it. (A notice or a guess that falls
// due now is drawn by the loop's next pass, which the frame's arrival
// brings.)
func (f *front) drawEarly(frame *vt.Screen, sent uint64) {
	if !f.loopMu.TryLock() {
		return
	}
	defer f.loopMu.Unlock()
	if f.done || f.gone || f.dirty || !f.connected || f.lastNotice != "" {
		return
	}
	if f.r.prev != f.fb && (f.early == nil || f.r.prev != f.early) {
		return // guesses are on the screen
	}
	w, h := frame.Size()
	if fw, fh := f.fb.Size(); w != fw || h != fh {
		return // a resize under way: the replica's size is the screen's
	}
	shown := frame.Clone()
	f.r.draw(shown, "", true)
	f.early, f.earlySent, f.earlySame = shown, sent, 0
}

// showsEarly reports whether the screen already shows what render would
// draw of view, the replica with nothing over it: an early frame as new
// as the replica or newer (a replica of a state up to earlySent is older
// than the early frame; a newer one is the same frame or a later one).
// The answer for a replica is kept (earlySame): render asks again after
// each key, and comparing the two screens cell by cell (their rows are
// not shared) takes ~20 µs cold.
func (f *front) showsEarly(view *vt.Screen, notice string) bool {
	if f.early == nil {
		return false
	}
	if f.r.prev == f.early && view == f.fb && notice == "" {
		if f.remoteNum == f.earlySame {
			return true
		}
		if f.remoteNum <= f.earlySent || f.fb.FrameEqual(f.early) {
			f.earlySame = f.remoteNum
			return true
		}
	}
	f.early = nil
	return false
}
