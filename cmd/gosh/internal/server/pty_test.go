package server

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	muxpty "github.com/goshterm/gosh/mux/pty"
)

// openRawPty returns a pollable pty master and its slave in raw mode
// without echo, so that what is written to the master arrives unchanged
// at the slave and nothing comes back.
func openRawPty(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	m, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	// cfmakeraw (termios(3))
	tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	tio.Oflag &^= unix.OPOST
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Cflag &^= unix.CSIZE | unix.PARENB
	tio.Cflag |= unix.CS8
	if err := unix.IoctlSetTermios(int(tty.Fd()), ioctlSetTermios, tio); err != nil {
		t.Fatal(err)
	}
	pm, err := muxpty.Pollable(m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pm.Close() })
	return pm, tty
}

// A burst of input larger than the pty holds, written while the program
// reads nothing, neither blocks the writer's caller (the session loop)
// nor loses or reorders a byte: the rest waits in the backlog and reaches
// the program once it reads. A resize queued behind the burst is applied
// too.
func TestPtyWriterBurstWhileNotReading(t *testing.T) {
	m, tty := openRawPty(t)
	w, err := newPtyWriter(m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()

	var want bytes.Buffer
	for i := 0; want.Len() < 512<<10; i++ {
		chunk := bytes.Repeat([]byte{'a' + byte(i%26)}, 1+i%700)
		want.Write(chunk)
		w.write(ptyOp{data: chunk}) // must return with nobody reading
		if i == 100 {
			w.write(ptyOp{size: &pty.Winsize{Cols: 91, Rows: 17}})
		}
	}
	w.write(ptyOp{size: &pty.Winsize{Cols: 93, Rows: 19}})
	if w.backlog() == 0 {
		t.Fatalf("the pty took all %d bytes unread: the test no longer fills it", want.Len())
	}

	got := make([]byte, want.Len())
	if _, err := io.ReadFull(tty, got); err != nil {
		t.Fatalf("read %v", err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		i := 0
		for i < len(got) && got[i] == want.Bytes()[i] {
			i++
		}
		t.Fatalf("the program read the burst altered from byte %d of %d", i, len(got))
	}
	w.wg.Wait() // the drain ends once the backlog, the last resize included, is done
	ws, err := unix.IoctlGetWinsize(int(tty.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Col != 93 || ws.Row != 19 {
		t.Errorf("pty size %dx%d after the queued resizes, want 93x19", ws.Col, ws.Row)
	}
}

// A program that never reads does not make the server hold input without
// bound: past maxPtyBacklog, input is dropped.
func TestPtyWriterBacklogBounded(t *testing.T) {
	m, _ := openRawPty(t)
	w, err := newPtyWriter(m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for range 2 * maxPtyBacklog / len(chunk) {
		w.write(ptyOp{data: chunk})
	}
	if b := w.backlog(); b > maxPtyBacklog || b == 0 {
		t.Errorf("backlog %d bytes, want (0, %d]", b, maxPtyBacklog)
	}
	m.Close() // the drain's wait for room ends
	w.close()
}
