package mux

import (
	"errors"
	"slices"
	"time"

	"github.com/goshterm/gosh/mux/command"
)

// send-keys -X runs a copy-mode command in the copy mode of the target
// pane. Copy mode here is a client's (clientcopy.go) and belongs to its
// loop: a command from a key binding runs on that client's loop and acts
// on its copy mode; one from elsewhere (the CLI, a script) is queued for
// every attached client, whose loop runs it at its next composition, and
// waits for their answers.

// errNotInMode is tmux's error for send-keys -X to a pane in no mode.
var errNotInMode = errors.New("not in a mode")

// copyOpWait bounds the wait for the clients' loops to run a queued
// copy-mode command; a client that does not answer by then (it is
// detaching, or its loop waits for a command itself) does not count.
const copyOpWait = 2 * time.Second

// copyOp is one copy-mode command for a client's loop.
type copyOp struct {
	pane *Pane
	name string
	n    int
	args []string
	done chan bool // buffered: whether the pane was in the client's copy mode
}

// CopyModeCommand implements command.CopyModer (send-keys -X).
func (e *env) CopyModeCommand(r command.Ref, name string, n int, args []string) error {
	s := e.s
	s.mu.Lock()
	_, _, p, err := s.lookupLocked(r)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if c := e.c.attached; c != nil {
		// A key binding: this runs on c's loop.
		s.mu.Unlock()
		if !c.copyCommand(p, name, n, args) {
			return errNotInMode
		}
		c.poke()
		return nil
	}
	type queued struct {
		c  *client
		op *copyOp
	}
	var ops []queued
	for _, c := range s.clients {
		op := &copyOp{pane: p, name: name, n: n, args: args, done: make(chan bool, 1)}
		c.copyOps = append(c.copyOps, op)
		ops = append(ops, queued{c, op})
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
	if !in {
		return errNotInMode
	}
	return nil
}

// copyCommand runs a copy-mode command on the client's copy mode of p;
// false when it shows p in no copy mode. It runs on the loop, without
// Server.mu. An unknown command does nothing, as in tmux.
func (c *client) copyCommand(p *Pane, name string, n int, args []string) bool {
	m := c.copy[p]
	if m == nil {
		return false
	}
	res, _ := m.Command(name, n, args)
	if res.Copy {
		c.copied(res.Text)
	}
	if res.Done {
		delete(c.copy, p)
	}
	return true
}

// runCopyOpsLocked runs the copy-mode commands queued for the client, at
// the start of a composition so that the frame shows what they did. It
// runs on the loop with Server.mu held.
func (c *client) runCopyOpsLocked() {
	if len(c.copyOps) == 0 {
		return
	}
	ops := c.copyOps
	c.copyOps = nil
	for _, op := range ops {
		m := c.copy[op.pane]
		if m == nil {
			op.done <- false
			continue
		}
		res, _ := m.Command(op.name, op.n, op.args)
		if res.Copy {
			c.copiedLocked(res.Text)
		}
		if res.Done {
			delete(c.copy, op.pane)
		}
		op.done <- true
	}
}
