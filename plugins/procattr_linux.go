//go:build linux

package plugins

import "syscall"

// pluginProcAttr asks the kernel to SIGKILL a plugin when its parent goes
// away (prctl(2) PR_SET_PDEATHSIG), so that a daemon or client that dies
// without closing its Host (kill -9, a crash) does not leave its plugins
// running for ever. The "parent" is the thread that forked, not the
// process: superviseLoop locks its goroutine to a thread for the plugin's
// whole life, so the signal comes only when that supervisor ends (after it
// has killed the plugin) or when the whole process dies. Go's runtime
// checks in the child that the parent has not already gone between fork
// and prctl.
func pluginProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
