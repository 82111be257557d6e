// Package testenv starts the real parts gosh's end-to-end tests run
// against: the gosh binary itself, OpenSSH's sshd on a loopback port with
// throw-away keys, and tmux as the user's terminal. The recipes are the
// ones in shared/TESTING.md; every process started here is stopped by its
// PID in t.Cleanup, never by name.
//
// Tools that are missing make a test skip on a developer's machine and
// fail in CI (when $CI is set), because CI installs all of them.
package testenv
