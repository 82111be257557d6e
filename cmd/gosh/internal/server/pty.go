package server

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	muxpty "github.com/goshterm/gosh/mux/pty"
)

// maxPtyBacklog bounds the input queued for a pty whose program does not
// read it (stopped with ^Z, or busy): past it, further input is dropped
// rather than held without limit. A megabyte is a long paste.
const maxPtyBacklog = 1 << 20

// ptyOp is one thing to do to the pty, in order: write data, or set size.
type ptyOp struct {
	data []byte
	size *pty.Winsize
}

// ptyWriter writes keystrokes, emulator replies and resizes to the pty
// master in order, from the session loop, without ever blocking it: each
// op is tried at once with a non-blocking write (the common case: the
// line discipline takes a keystroke immediately, with no goroutine hop),
// and only what the pty does not take waits in a backlog that a drain
// goroutine, started then and ending when the backlog is empty, writes as
// the pty makes room. While a backlog exists every new op joins it, so the
// order is kept. mosh-server writes to its pty with blocking writes; a
// program that stops reading its input would stop the whole session
// (screen updates, acks, the shutdown) with it.
type ptyWriter struct {
	f   *os.File
	rc  syscall.RawConn
	log *slog.Logger

	mu       sync.Mutex
	queue    []ptyOp // waiting, in order; the drain goroutine writes queue[0]
	queued   int     // bytes in queue
	draining bool    // a drain goroutine runs
	closed   bool
	dropped  int // bytes dropped for a full backlog
	wg       sync.WaitGroup
}

func newPtyWriter(f *os.File, log *slog.Logger) (*ptyWriter, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	return &ptyWriter{f: f, rc: rc, log: log}, nil
}

// write does op now if nothing is queued and the pty takes it, and queues
// it (or what the pty did not take) otherwise. It never blocks on the pty.
func (w *ptyWriter) write(op ptyOp) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	if !w.draining {
		if op.size != nil {
			w.resize(op.size)
			return
		}
		n, err := w.tryWrite(op.data)
		switch {
		case n == len(op.data):
			return
		case err != nil && !errors.Is(err, unix.EAGAIN):
			w.log.Debug("pty write", "err", err)
			return
		}
		op.data = op.data[n:]
	}
	if w.queued+len(op.data) > maxPtyBacklog {
		if w.dropped == 0 {
			w.log.Debug("pty input backlog full; dropping input", "backlog", w.queued)
		}
		w.dropped += len(op.data)
		return
	}
	w.queue = append(w.queue, op)
	w.queued += len(op.data)
	if !w.draining {
		w.draining = true
		w.wg.Add(1)
		go w.drain()
	}
}

// tryWrite makes one non-blocking write attempt, a raw write(2) (see
// rawRead).
func (w *ptyWriter) tryWrite(b []byte) (int, error) {
	var n int
	var werr error
	err := w.rc.Write(func(fd uintptr) bool {
		for {
			n, werr = rawWrite(fd, b)
			if werr != unix.EINTR {
				return true // one attempt: never wait for the poller here
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return max(n, 0), werr
}

// drain writes the backlog, waiting for the pty to take it (in the
// poller, not in a thread), and ends when it is empty or the pty is gone.
func (w *ptyWriter) drain() {
	defer w.wg.Done()
	for {
		w.mu.Lock()
		if len(w.queue) == 0 || w.closed {
			w.queue, w.queued, w.draining = nil, 0, false
			w.mu.Unlock()
			return
		}
		op := w.queue[0]
		w.mu.Unlock()
		var err error
		if op.size != nil {
			w.resize(op.size)
		} else {
			_, err = w.f.Write(op.data)
		}
		w.mu.Lock()
		w.queue[0] = ptyOp{}
		w.queue = w.queue[1:]
		w.queued -= len(op.data)
		if err != nil {
			w.log.Debug("pty write", "err", err)
			w.closed = true // hung up or closed: nothing more will be read
		}
		w.mu.Unlock()
	}
}

func (w *ptyWriter) resize(sz *pty.Winsize) {
	if err := muxpty.Control(w.f, func(fd int) error {
		return unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: sz.Rows, Col: sz.Cols})
	}); err != nil {
		w.log.Debug("pty resize", "err", err)
	}
}

// backlog returns the bytes waiting for the pty.
func (w *ptyWriter) backlog() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queued
}

// close drops the backlog and waits for the drain goroutine; close the
// file (or hang up the pty) first, so that a write waiting for room ends.
func (w *ptyWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wg.Wait()
}

// ptyChunk is a read from the pty master: output, or the end of it.
type ptyChunk struct {
	b   []byte
	eof bool
}

// ptyReadBufs is how many read buffers circulate between the pty reader
// and the session loop: the reader reads ahead while the loop draws.
const ptyReadBufs = 4

// readPty reads the pty master into buffers taken from free and hands
// them to the loop on out, until EOF (the program's side closed: EIO) or
// done. The loop returns each buffer to free once it has drawn it.
func readPty(f *os.File, out chan<- ptyChunk, free chan []byte, done <-chan struct{}) {
	rc, err := f.SyscallConn()
	if err != nil {
		out <- ptyChunk{eof: true}
		return
	}
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-done:
			return
		}
		n, err := readRaw(rc, buf[:cap(buf)])
		if n > 0 {
			select {
			case out <- ptyChunk{b: buf[:n]}:
			case <-done:
				return
			}
		} else {
			free <- buf
		}
		if err != nil {
			select {
			case out <- ptyChunk{eof: true}:
			case <-done:
			}
			return
		}
	}
}

// readRaw waits in the poller until the pty has output and reads it (one
// readOnce, per system). n is 0 and err io.EOF-like (EIO) once the
// program's side is closed.
func readRaw(rc syscall.RawConn, b []byte) (int, error) {
	var n int
	var rerr error
	err := rc.Read(func(fd uintptr) bool {
		for {
			r, err := readOnce(fd, b)
			switch err {
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false
			case nil:
				n, rerr = r, nil
				if n == 0 {
					rerr = io.EOF
				}
			default:
				n, rerr = 0, err
			}
			return true
		}
	})
	if err != nil {
		return 0, err
	}
	return n, rerr
}
