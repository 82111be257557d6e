package mux

import (
	"errors"
	"slices"
	"time"

	"github.com/goshterm/gosh/mux/command"
)

// copy-mode and send-keys -X drive copy mode from commands. Copy mode here
// is a client's (clientcopy.go) and belongs to its loop: a command from a
// key binding runs on that client's loop and acts on its copy mode; one
// from elsewhere (the CLI, a script) is queued for the attached clients,
// whose loops run it at their next composition, and waits for their
// answers.

// errNotInMode is tmux's error for send-keys -X to a pane in no mode.
var errNotInMode = errors.New("not in a mode")

// copyOpWait bounds the wait for the clients' loops to run a queued
// copy-mode operation; a client that does not answer by then (it is
// detaching, or its loop waits for a command itself) does not count.
const copyOpWait = 2 * time.Second

// copyOpKind is what a copyOp does.
type copyOpKind uint8

const (
	copyRun   copyOpKind = iota // a copy-mode command (send-keys -X)
	copyEnter                   // enter copy mode (copy-mode)
	copyQuit                    // leave it (copy-mode -q)
)

// copyOp is one copy-mode operation for a client's loop.
type copyOp struct {
	kind copyOpKind
	pane *Pane
	name string // copyRun: the command, its count and arguments
	n    int
	args []string
	// copyEnter: leave copy mode at the bottom (-e); page up (-u)
	exitAtBottom, pageUp bool
	// copied is shared by the clients' copies of one queued op, with
	// Server.mu held: the first client whose copy mode copies stores
	// the buffer, so that one copy-selection is one buffer, as in tmux
	// (whose copy mode is the pane's, not each client's).
	copied *bool
	done   chan bool // buffered: whether the pane was in the client's copy mode
}

// CopyModeCommand implements command.CopyModer (send-keys -X).
func (e *env) CopyModeCommand(r command.Ref, name string, n int, args []string) error {
	in, err := e.copyOp(r, copyOp{kind: copyRun, name: name, n: n, args: args})
	if err == nil && !in {
		err = errNotInMode
	}
	return err
}

// CopyMode implements command.CopyModer (copy-mode): the binding's client,
// or else every attached client showing the pane's window, shows the
// pane in copy mode (-q: leaves it).
func (e *env) CopyMode(r command.Ref, o command.CopyModeOptions) error {
	op := copyOp{kind: copyEnter, exitAtBottom: o.ExitAtBottom, pageUp: o.PageUp}
	if o.Quit {
		op.kind = copyQuit
	}
	_, err := e.copyOp(r, op)
	return err
}

// copyOp carries out op on r's pane for the clients it concerns and
// reports whether any of them had the pane in copy mode.
func (e *env) copyOp(r command.Ref, op copyOp) (bool, error) {
	s := e.s
	s.mu.Lock()
	_, w, p, err := s.lookupLocked(r)
	if err != nil {
		s.mu.Unlock()
		return false, err
	}
	op.pane = p
	if c := e.c.attached; c != nil {
		// A key binding: this runs on c's loop.
		in := c.runCopyOpLocked(&op)
		s.mu.Unlock()
		c.poke()
		return in, nil
	}
	type queued struct {
		c  *client
		op *copyOp
	}
	var ops []queued
	op.copied = new(bool)
	for _, c := range s.clients {
		if op.kind == copyEnter && (c.session == nil || c.session.current != w) {
			continue // copy-mode: the clients that show the window
		}
		o := op
		o.done = make(chan bool, 1)
		c.copyOps = append(c.copyOps, &o)
		ops = append(ops, queued{c, &o})
		c.poke()
	}
	s.mu.Unlock()
	in := false
	deadline := time.NewTimer(copyOpWait)
	defer deadline.Stop()
	expired := false
	for _, q := range ops {
		if expired {
			break
		}
		select {
		case ok := <-q.op.done:
			in = in || ok
		case <-deadline.C:
			expired = true
		}
	}
	if expired {
		// Take back what no loop took, so that it can't run later.
		s.mu.Lock()
		for _, q := range ops {
			q.c.copyOps = slices.DeleteFunc(q.c.copyOps, func(o *copyOp) bool { return o == q.op })
		}
		s.mu.Unlock()
		for _, q := range ops {
			select {
			case ok := <-q.op.done:
				in = in || ok
			default:
			}
		}
	}
	return in, nil
}

// runCopyOpsLocked runs the copy-mode operations queued for the client,
// at the start of a composition so that the frame shows what they did.
// It runs on the loop with Server.mu held.
func (c *client) runCopyOpsLocked() {
	if len(c.copyOps) == 0 {
		return
	}
	ops := c.copyOps
	c.copyOps = nil
	for _, op := range ops {
		op.done <- c.runCopyOpLocked(op)
	}
}

// runCopyOpLocked carries out op on the client's copy mode and reports
// whether the pane was in it. An unknown command does nothing, as in
// tmux. It runs on the loop with Server.mu held.
func (c *client) runCopyOpLocked(op *copyOp) bool {
	p := op.pane
	m := c.copy[p]
	switch op.kind {
	case copyQuit:
		delete(c.copy, p)
		return m != nil
	case copyEnter:
		if p.removed || p.window == nil {
			return false
		}
		if m == nil {
			m = c.enterCopyModeLocked(p, op.exitAtBottom)
		}
		if op.pageUp {
			m.Command("page-up", 1, nil)
		}
		return true
	}
	if m == nil {
		return false
	}
	res, _ := m.Command(op.name, op.n, op.args)
	if res.Copy && (op.copied == nil || !*op.copied) {
		c.copiedLocked(res.Text)
		if op.copied != nil {
			*op.copied = true
		}
	}
	if res.Done {
		delete(c.copy, p)
	}
	return true
}

// inCopyModeLocked reports whether an attached client shows p in copy
// mode: tmux's pane_in_mode, which scripts test before send-keys -X.
// Clients write their copy map with Server.mu held, so reading it here
// is safe.
func (s *Server) inCopyModeLocked(p *Pane) bool {
	for _, c := range s.clients {
		if c.copy[p] != nil {
			return true
		}
	}
	return false
}
