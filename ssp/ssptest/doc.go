// Package ssptest provides toy States (Log, an append-only byte log) and
// Sim, a deterministic simulation of a client and a server ssp.Transport
// over a conntest network on a manual clock.
package ssptest
