package client

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/sys/unix"
)

// tty is the user's terminal as tcell drives it: input from Config.In,
// output to Config.Out. Reads go through a second open of the same device,
// which Go's poller can interrupt with a deadline (tcell stops its reader
// that way on Suspend and Fini); the first descriptor, which belongs to the
// caller, is used only for termios and window-size ioctls and is never
// switched to non-blocking mode, so the shell gets its terminal back as it
// left it.
//
// With external set, the client's raw loop reads the terminal itself,
// from a non-blocking descriptor of its own (inputFD), and tcell's input
// goroutine is kept waiting: Read blocks until Drain or Stop.
type tty struct {
	in       *os.File
	fd       int
	out      io.Writer
	external bool
	// resize, when set, stands for SIGWINCH (Config.Resize).
	resize <-chan struct{}

	mu    sync.Mutex
	r     *os.File // the second open, for reading
	rawFD int      // external: the loop's descriptor (-1: not open)
	// outFD (external, when out is the terminal itself) is a third,
	// non-blocking open for writing with raw syscalls (rawio_linux.go); -1:
	// writes go to out.
	outFD       int
	outIsDevice bool          // out is the terminal in is (or nil)
	closing     atomic.Bool   // Close waits for wmu: a write to a full terminal gives up
	idle        chan struct{} // external: closed by Drain/Stop to end a Read
	saved       *unix.Termios
	cb          func()
	sigs        chan os.Signal
	stop        chan struct{}
	wg          sync.WaitGroup
	size        tcell.WindowSize // the last size read
	// sizeOK: size is current (no SIGWINCH since it was read). tcell
	// asks for the size on every Show; the ioctl is needed only after
	// the kernel said the size changed.
	sizeOK bool

	wmu     sync.Mutex // guards the write batch
	holding bool
	batch   []byte
}

var _ tcell.Tty = (*tty)(nil)

// newTTY checks that in is a terminal.
func newTTY(in *os.File, out io.Writer) (*tty, error) {
	fd := int(in.Fd())
	if _, err := unix.IoctlGetTermios(fd, ioctlGetTermios); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotTerminal, err)
	}
	same := out == nil || sameDevice(in, out)
	if out == nil {
		out = in
	}
	return &tty{in: in, fd: fd, out: out, rawFD: -1, outFD: -1, outIsDevice: same}, nil
}

// Start puts the terminal in raw mode (cfmakeraw) and starts watching
// SIGWINCH, or t.resize.
func (t *tty) Start() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.external {
		if t.rawFD < 0 {
			fd, err := unix.Open(devicePath(t.fd), unix.O_RDONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
			if err != nil {
				return fmt.Errorf("client: open terminal: %w", err)
			}
			t.rawFD = fd
		}
		t.wmu.Lock()
		if t.outFD < 0 && t.outIsDevice {
			// A failure leaves writes on out, as without the raw loop.
			if fd, err := unix.Open(devicePath(t.fd), unix.O_WRONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err == nil {
				t.outFD = fd
			}
		}
		t.wmu.Unlock()
		t.idle = make(chan struct{})
	} else if t.r == nil {
		r, err := os.OpenFile(devicePath(t.fd), os.O_RDONLY|syscall.O_NOCTTY, 0)
		if err != nil {
			return fmt.Errorf("client: open terminal: %w", err)
		}
		t.r = r
	}
	if t.r != nil {
		_ = t.r.SetReadDeadline(time.Time{})
	}
	saved, err := unix.IoctlGetTermios(t.fd, ioctlGetTermios)
	if err != nil {
		return err
	}
	t.saved = saved
	t.sizeOK = false // it may have changed while stopped
	raw := *saved
	makeRaw(&raw)
	if err := unix.IoctlSetTermios(t.fd, ioctlSetTermios, &raw); err != nil {
		return fmt.Errorf("client: raw mode: %w", err)
	}
	t.sigs = make(chan os.Signal, 1)
	t.stop = make(chan struct{})
	if t.resize == nil {
		signal.Notify(t.sigs, syscall.SIGWINCH)
	}
	t.wg.Add(1)
	go t.winchLoop(t.sigs, t.resize, t.stop)
	return nil
}

func (t *tty) winchLoop(sigs <-chan os.Signal, resize <-chan struct{}, stop <-chan struct{}) {
	defer t.wg.Done()
	for {
		select {
		case <-sigs:
		case <-resize:
		case <-stop:
			return
		}
		t.mu.Lock()
		t.sizeOK = false
		cb := t.cb
		t.mu.Unlock()
		if cb != nil {
			cb()
		}
	}
}

// Stop restores the terminal mode Start found and wakes a blocked Read.
func (t *tty) Stop() error {
	t.mu.Lock()
	if t.saved == nil {
		t.mu.Unlock()
		return nil
	}
	err := unix.IoctlSetTermios(t.fd, ioctlSetTermiosDrain, t.saved)
	t.saved = nil
	t.wakeReader()
	signal.Stop(t.sigs)
	close(t.stop)
	t.mu.Unlock()
	t.wg.Wait()
	return err
}

// Drain makes a blocked Read return.
func (t *tty) Drain() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wakeReader()
	return nil
}

// wakeReader ends a blocked Read; t.mu is held.
func (t *tty) wakeReader() {
	if t.r != nil {
		_ = t.r.SetReadDeadline(time.Now())
	}
	if t.idle != nil {
		close(t.idle)
		t.idle = nil
	}
}

// NotifyResize sets the function called on SIGWINCH.
func (t *tty) NotifyResize(cb func()) {
	t.mu.Lock()
	t.cb = cb
	t.mu.Unlock()
}

// WindowSize reads the terminal's size (TIOCGWINSZ). Once a size was
// read, a failure (a terminal hung up) returns that size again: tcell
// re-engaging a screen whose size it can't read draws over cells it has
// not sized, forever.
func (t *tty) WindowSize() (tcell.WindowSize, error) {
	// The lock is held across the ioctl (it doesn't block): a SIGWINCH
	// that winchLoop takes while it runs must not have its sizeOK = false
	// overwritten with a size read before the change.
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sizeOK {
		return t.size, nil
	}
	ws, err := unix.IoctlGetWinsize(t.fd, unix.TIOCGWINSZ)
	if err != nil {
		if t.size.Width > 0 {
			return t.size, nil
		}
		return tcell.WindowSize{}, err
	}
	w, h := int(ws.Col), int(ws.Row)
	if w == 0 || h == 0 {
		w, h = 80, 24
	}
	t.size = tcell.WindowSize{Width: w, Height: h, PixelWidth: int(ws.Xpixel), PixelHeight: int(ws.Ypixel)}
	t.sizeOK = t.external // the select loop's tests resize without a signal
	return t.size, nil
}

// Read is tcell's input goroutine's read. With external set it reads
// nothing: it waits until Drain or Stop and returns no bytes, which
// tcell's loop takes as a cue to look at its stop channel.
func (t *tty) Read(b []byte) (int, error) {
	t.mu.Lock()
	r, idle, external := t.r, t.idle, t.external
	t.mu.Unlock()
	if external {
		if idle == nil {
			return 0, io.EOF
		}
		<-idle
		return 0, nil
	}
	if r == nil {
		return 0, io.EOF
	}
	return r.Read(b)
}

func (t *tty) Write(b []byte) (int, error) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if t.holding {
		t.batch = append(t.batch, b...)
		return len(b), nil
	}
	return t.writeOut(b)
}

// writeOut writes b to the terminal; wmu is held.
func (t *tty) writeOut(b []byte) (int, error) {
	if t.outFD >= 0 {
		return writeAll(t.outFD, b, &t.closing)
	}
	return t.out.Write(b)
}

// hold gathers the writes until flush.
func (t *tty) hold() {
	t.wmu.Lock()
	t.holding = true
	t.wmu.Unlock()
}

// flush writes what was gathered, in one write.
func (t *tty) flush() {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	t.holding = false
	if len(t.batch) > 0 {
		t.writeOut(t.batch)
	}
	if cap(t.batch) > 64<<10 {
		t.batch = nil // a full repaint's worth is not kept
	} else {
		t.batch = t.batch[:0]
	}
}

// Close closes the second open; the caller's descriptors stay open.
func (t *tty) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rawFD >= 0 {
		unix.Close(t.rawFD)
		t.rawFD = -1
	}
	t.closing.Store(true) // a writer stuck on a full terminal lets go of wmu
	t.wmu.Lock()
	if t.outFD >= 0 {
		unix.Close(t.outFD)
		t.outFD = -1
	}
	t.wmu.Unlock()
	t.closing.Store(false)
	if t.r == nil {
		return nil
	}
	err := t.r.Close()
	t.r = nil
	return err
}

// makeRaw is cfmakeraw(3).
func makeRaw(t *unix.Termios) {
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
}
