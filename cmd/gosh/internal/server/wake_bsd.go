//go:build darwin || freebsd

package server

import "errors"

// newWakeTimer would make the timerfd(2) timer of wake_linux.go; there is
// no timerfd here, and newLoopTimer falls back to runtime timers.
func newWakeTimer() (loopTimer, error) { return nil, errors.ErrUnsupported }
