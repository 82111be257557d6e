package mux

import (
	"strings"
	"time"
)

// When is a shell ready for a startup command? Typing into a pty before the
// shell reads it usually works, because the tty queues the input, but not
// always: an rc file that runs a program reading the terminal eats it, a
// shell may flush typeahead when its line editor starts, and the echo lands
// before the prompt. So a layout's command is typed only once the shell
// waits for a line:
//
//   - the shell owns the terminal (the foreground process group is the
//     shell's own: nothing an rc file started is running in front of it),
//   - it has no child processes (an rc file's "sleep 1" or "$(cmd)" before
//     job control is on), and
//   - it sleeps in a terminal read: /proc/PID/syscall (proc(5)) shows read
//     on a descriptor that is a tty, or the poll/select a line editor waits
//     in. Where that file is unreadable, a sleeping shell whose output has
//     gone quiet for readyQuiet after its first output (the prompt) counts.
//
// These must hold on two polls readyPoll apart with no output between them,
// and at most readyTimeout is spent waiting: a shell this cannot read (or a
// default-shell that is not a shell) still gets its command, late.
const (
	readyPoll    = 25 * time.Millisecond
	readyQuiet   = 200 * time.Millisecond
	readyTimeout = 10 * time.Second
)

// promptState is what /proc says about a pane's shell.
type promptState int

const (
	shellBusy    promptState = iota // running, or waiting for something else
	shellWaiting                    // blocked reading the terminal
	shellMaybe                      // asleep; /proc/PID/syscall unreadable
)

// shellIdle reports whether p's shell is waiting at its prompt now.
func shellIdle(p *Pane) bool {
	if dead, _ := p.Dead(); dead {
		return false
	}
	return shellState(p) == shellWaiting
}

// typeWhenReady types cmd and Enter into p once its shell is ready (see
// above). It runs on its own goroutine, counted in Server.wg, and gives up
// when the pane is killed.
func (s *Server) typeWhenReady(p *Pane, cmd string) {
	defer s.wg.Done()
	out, stop := p.Watch()
	defer stop()
	tick := time.NewTicker(readyPoll)
	defer tick.Stop()
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	var (
		sawOutput bool      // the shell printed something (its prompt)
		lastOut   time.Time // when output last arrived
		streak    int       // consecutive quiet polls that found the shell waiting
	)
wait:
	for {
		select {
		case <-p.killed:
			return
		case <-deadline.C:
			s.log.Warn("shell not ready; typing the layout command anyway", "pane", p.id, "after", readyTimeout)
			break wait
		case <-out:
			sawOutput, lastOut, streak = true, time.Now(), 0
		case <-tick.C:
			if dead, _ := p.Dead(); dead {
				return
			}
			switch shellState(p) {
			case shellWaiting:
				streak++
			case shellMaybe:
				if sawOutput && time.Since(lastOut) >= readyQuiet {
					streak++
				}
			default:
				streak = 0
			}
			if streak >= 2 {
				break wait
			}
		}
	}
	// A shell reads a typed line up to CR, which the tty turns into a
	// newline (ICRNL); a multi-line command is several lines.
	line := strings.ReplaceAll(strings.ReplaceAll(cmd, "\r\n", "\r"), "\n", "\r") + "\r"
	if _, err := p.Write([]byte(line)); err != nil {
		s.log.Warn("typing the layout command", "pane", p.id, "err", err)
	}
}
