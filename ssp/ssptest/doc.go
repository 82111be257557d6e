// Package ssptest provides toy States for testing ssp — Log, an
// append-only byte log like mosh's user input stream, and Screen, a
// fixed-size frame like a terminal — and Sim/SimOf, a deterministic
// simulation of a client and a server ssp.Transport over a conntest
// network on a manual clock.
package ssptest
