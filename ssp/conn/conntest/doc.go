// Package conntest is an in-process network for testing ssp: a client
// host and a server host joined by a Link each way with loss, delay,
// jitter (reordering), duplication, an MTU and an on/off switch, plus a
// Roam that moves the client to a new address. Delivery runs on a
// Scheduler: the manual Clock for deterministic step-by-step simulation,
// or RealTime inside a testing/synctest bubble for goroutine-based tests.
package conntest
