// Package integration holds gosh's whole-program tests. Files tagged
// `e2e` drive the real gosh binary against Debian's mosh 1.4 (mosh-client,
// mosh-server and the mosh wrapper over a real sshd), with tmux as the
// user's terminal and ssp/conn/impair as a bad network:
//
//	go test -tags e2e ./cmd/gosh/internal/integration/
package integration
