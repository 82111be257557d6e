//go:build !linux

package plugins

import "syscall"

// pluginProcAttr has no parent-death signal outside Linux; there the
// plugin's own sdk.Serve notices that its parent is gone.
func pluginProcAttr() *syscall.SysProcAttr { return nil }
