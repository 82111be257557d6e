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
// transport carries them, and says which state carries a frame drawn so
// (mux.HostedLink).
type EarlySource interface {
	SetEarlyDraw(draw func(frame *vt.Screen, sent uint64) bool, carried func(num uint64))
}

// drawEarly draws frame, which the server composed after its transport
// had sent states up to sent, if nothing else is on the screen: the view
// shown is a server frame (the replica, or an earlier early frame), with
// no guesses and no notice bar over it. (A notice or a guess that falls
// due now is drawn by the loop's next pass, which the frame's arrival
// brings.)
func (f *front) drawEarly(frame *vt.Screen, sent uint64) bool {
	if !f.loopMu.TryLock() {
		return false
	}
	defer f.loopMu.Unlock()
	if f.done || f.gone || f.dirty || !f.connected || f.lastNotice != "" {
		return false
	}
	if f.r.prev != f.fb && (f.early == nil || f.r.prev != f.early) {
		return false // guesses are on the screen
	}
	w, h := frame.Size()
	if fw, fh := f.fb.Size(); w != fw || h != fh {
		return false // a resize under way: the replica's size is the screen's
	}
	shown := frame.Clone()
	f.r.draw(shown, "", true)
	f.early, f.earlySent, f.earlyNum = shown, sent, 0
	return true
}

// carriedEarly learns that the state numbered num holds the frame last
// drawn early (its transport just sent it), as do the states sent since
// the frame was drawn.
func (f *front) carriedEarly(num uint64) {
	if !f.loopMu.TryLock() {
		return // that replica is then drawn as any other
	}
	defer f.loopMu.Unlock()
	if f.early != nil {
		f.earlyNum = num
	}
}

// showsEarly reports whether the screen already shows what render would
// draw of view, the replica with nothing over it: the replica's state was
// sent before the early frame was composed (up to earlySent: the frame is
// newer), or holds that frame (up to earlyNum). A later replica is drawn
// as usual; the renderer writes what differs from the early frame. (The
// state numbers save comparing the two screens cell by cell, ~20 µs cold
// per frame: their rows are not shared. And the early frame stays the
// renderer's last view, whose rows the next one drawn early shares.)
func (f *front) showsEarly(view *vt.Screen, notice string) bool {
	if f.early == nil {
		return false
	}
	if f.r.prev == f.early && view == f.fb && notice == "" &&
		f.remoteNum <= max(f.earlySent, f.earlyNum) {
		return true
	}
	f.early = nil
	return false
}
