// Package gosh is the root of a mobile shell and terminal multiplexer.
//
// The packages, with imports pointing one way:
//
//	vt        terminal emulator, screen model and frame diff (imports nothing of ours)
//	vt/parser the DEC/ANSI state machine
//	ssp       mosh's State Synchronization Protocol, generic over a State
//	predict   speculative local echo (imports vt)
//	mux       the multiplexer daemon (imports vt, ssp)
//	plugins   the go-plugin host side
//	sdk       the public plugin SDK (imports nothing of gosh)
//	cmd/gosh  the binary
package gosh
