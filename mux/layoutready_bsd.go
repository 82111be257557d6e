//go:build darwin || freebsd

package mux

// shellState says whether the pane's shell owns its terminal. There is no
// /proc here to show what it sleeps in, so a shell in the foreground is
// shellMaybe: it counts as waiting once its output (the prompt) has gone
// quiet for readyQuiet, as on Linux when /proc/PID/syscall is unreadable.
func shellState(p *Pane) promptState {
	proc := p.proc.Load()
	if pg, err := proc.ForegroundPgrp(); err != nil || pg != proc.Pid() {
		return shellBusy
	}
	return shellMaybe
}
