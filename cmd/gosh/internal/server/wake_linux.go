package server

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// wakeTimer is the session loop's one timer: a timerfd(2) in Go's poller
// instead of a runtime timer. While every goroutine sleeps, the runtime's
// sysmon thread sleeps until the next runtime timer and then polls for a
// while; so does a thread for every runtime timer that was moved later
// (the runtime keeps it at its old place in its heap until that time).
// The session's deadline moves with every keystroke (the echo ack, the
// next frame), and each of those wake-ups cost the typing benchmark two
// or three context switches that mosh-server, asleep in select(2), does
// not have. A timerfd is re-armed in place, and its expiry wakes only the
// thread waiting in the poller.
type wakeTimer struct {
	f    *os.File
	rc   syscall.RawConn
	c    chan struct{} // a token per expiry (coalesced)
	stop chan struct{}
	wg   sync.WaitGroup
}

func newWakeTimer() (*wakeTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), "timerfd") // non-blocking: registered with the poller
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	w := &wakeTimer{f: f, rc: rc, c: make(chan struct{}, 1), stop: make(chan struct{})}
	w.wg.Add(1)
	go w.read()
	return w, nil
}

// C receives a value when the timer expires.
func (w *wakeTimer) C() <-chan struct{} { return w.c }

// set arms the timer to expire after d (at once if d ≤ 0), replacing any
// earlier setting.
func (w *wakeTimer) set(d time.Duration) {
	w.settime(max(d, time.Nanosecond))
}

// disarm cancels the timer.
func (w *wakeTimer) disarm() { w.settime(0) }

// settime is a raw timerfd_settime(2) (a relative one-shot; 0 disarms):
// it never blocks, so it needs no runtime bookkeeping (see readRaw).
func (w *wakeTimer) settime(d time.Duration) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	_ = w.rc.Control(func(fd uintptr) {
		unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&spec)), 0, 0, 0)
	})
}

// read turns expiries into tokens on c until close.
func (w *wakeTimer) read() {
	defer w.wg.Done()
	var buf [8]byte // the expiry count
	for {
		err := w.rc.Read(func(fd uintptr) bool {
			_, _, errno := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
			return errno != unix.EAGAIN
		})
		if err != nil {
			return // closed
		}
		select {
		case w.c <- struct{}{}:
		default: // a token is already waiting
		case <-w.stop:
			return
		}
	}
}

// close stops the timer and its reader.
func (w *wakeTimer) close() error {
	close(w.stop)
	err := w.f.Close()
	w.wg.Wait()
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	return err
}
