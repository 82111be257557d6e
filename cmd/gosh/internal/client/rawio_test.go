package client

import (
	"bytes"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// A repaint bigger than the terminal's buffer, written while the terminal
// reads slowly, arrives whole and in order: the raw writer waits for room
// instead of dropping what EAGAIN refused.
func TestWriteAllWaitsForASlowTerminal(t *testing.T) {
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer pts.Close()
	tio, err := unix.IoctlGetTermios(int(pts.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	makeRaw(tio) // no output processing: bytes arrive as written
	if err := unix.IoctlSetTermios(int(pts.Fd()), ioctlSetTermios, tio); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(pts.Name(), unix.O_WRONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)

	want := make([]byte, 512<<10) // several times a pty's buffer
	for i := range want {
		want[i] = byte('a' + i%26)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(ptmx, int64(len(want))))
		got <- b
	}()
	var stop atomic.Bool
	n, err := writeAll(fd, want, &stop)
	if err != nil || n != len(want) {
		t.Fatalf("writeAll: %d of %d bytes, %v", n, len(want), err)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("terminal read %d bytes, not the %d written in order", len(b), len(want))
	}
}

// A write to a terminal that never drains gives up once the terminal is
// being closed, so that Close (which waits for the writer) returns.
func TestWriteAllGivesUpWhenClosing(t *testing.T) {
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer pts.Close()
	fd, err := unix.Open(pts.Name(), unix.O_WRONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	var stop atomic.Bool
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	big := make([]byte, 4<<20) // far more than the pty holds; nobody reads
	go func() {
		n, err := writeAll(fd, big, &stop)
		done <- result{n, err}
	}()
	stop.Store(true)
	select {
	case r := <-done:
		if !errors.Is(r.err, errTerminalClosing) || r.n >= len(big) {
			t.Fatalf("writeAll = %d, %v; want a part and errTerminalClosing", r.n, r.err)
		}
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("writeAll still waiting on a full terminal after stop")
	}
}
