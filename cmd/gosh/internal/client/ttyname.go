package client

import (
	"os"

	"golang.org/x/sys/unix"
)

// maxDevScan bounds the entries deviceIn looks at.
const maxDevScan = 4096

// deviceIn finds the character device behind fd among the entries of dir,
// by its device number, as ttyname(3) does where there is no
// /proc/self/fd to ask: the path of the terminal itself rather than the
// /dev/tty alias (sys_bsd.go's devicePath).
func deviceIn(dir string, fd int) (string, bool) {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return "", false
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	for _, e := range ents[:min(len(ents), maxDevScan)] {
		if e.Type()&os.ModeCharDevice == 0 || e.Name() == "tty" {
			continue
		}
		p := dir + "/" + e.Name()
		var s unix.Stat_t
		if unix.Stat(p, &s) == nil && s.Mode&unix.S_IFMT == unix.S_IFCHR && s.Rdev == st.Rdev {
			return p, true
		}
	}
	return "", false
}
