// Package client is gosh's terminal front end. For now it is a minimal
// mosh-compatible client (`gosh client IP PORT`): it puts the user's
// terminal in raw mode, sends keystrokes and window sizes as a
// statesync.UserStream, keeps a replica of the server's frame, and repaints
// the terminal with vt.Diff from what it last drew. It talks to a stock
// mosh-server as well as to gosh's. Ctrl-^ . quits (mosh's escape key,
// mosh-protocol.md §10).
package client
