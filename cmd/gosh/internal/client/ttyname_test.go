package client

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/creack/pty"
)

// Without /proc (macOS), the client finds its terminal's own device by
// its device number, so that it reopens the device, which kqueue can
// poll, and not the /dev/tty alias, which it can't (a quit would then
// hang until the next key). Here: a pty's slave is found among the
// entries of its directory, and nothing is found for a pipe or in a
// directory without the device.
func TestDeviceInFindsTheTerminal(t *testing.T) {
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer pts.Close()
	got, ok := deviceIn(filepath.Dir(pts.Name()), int(pts.Fd()))
	if !ok || got != pts.Name() {
		t.Errorf("deviceIn = %q, %v; want %q", got, ok, pts.Name())
	}
	if got, ok := deviceIn(t.TempDir(), int(pts.Fd())); ok {
		t.Errorf("deviceIn in an empty directory = %q", got)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if got, ok := deviceIn("/dev", int(r.Fd())); ok {
		t.Errorf("deviceIn of a pipe = %q", got)
	}
}
