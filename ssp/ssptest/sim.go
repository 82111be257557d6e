package ssptest

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/conntest"
)

// Transport is the toy pair's transport type: Logs both ways.
type Transport = ssp.Transport[*Log, *Log]

// Sim is the simulation with Logs both ways.
type Sim = SimOf[*Log]

// SimConfig configures a Sim.
type SimConfig struct {
	Seed     uint64
	Up, Down conntest.Link // client → server, server → client
	NoHop    bool          // disable client port hopping
}

// SimOf is a deterministic simulation of a client and a server Transport
// over a conntest.Network, driven step by step on a manual Clock from a
// single goroutine: the same seed gives the same run, and simulated
// minutes take milliseconds. The client sends a Log (its input); the
// server sends an S (a Log, or a Screen like a terminal frame).
type SimOf[S ssp.State[S]] struct {
	tb     testing.TB
	Clock  *conntest.Clock
	Net    *conntest.Network
	Client *ssp.Transport[*Log, S]
	Server *ssp.Transport[S, *Log]
	// ServerGot is what the server application consumed through
	// RemoteDiff: the client's log as the server saw it.
	ServerGot *Log
	// ClientPaused stops driving the client (a suspended process).
	ClientPaused bool
	// Steps counts simulation steps.
	Steps int
}

// ServerPort is the server's port in the simulation.
const ServerPort = 60001

// NewSim builds a client and a server with a fresh key over a new network.
func NewSim(tb testing.TB, cfg SimConfig) *Sim {
	tb.Helper()
	return NewSimOf(tb, cfg, NewLog(), NewLog())
}

// NewSimOf is NewSim for a server state type S; server and client are
// the initial (state 0) objects of each side, and must be equal.
func NewSimOf[S ssp.State[S]](tb testing.TB, cfg SimConfig, server0, client0 S) *SimOf[S] {
	tb.Helper()
	clock := conntest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	nw := conntest.NewNetwork(clock, cfg.Seed)
	nw.SetLinks(cfg.Up, cfg.Down)
	key, err := ssp.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	sc := nw.Listen(ServerPort)
	server, err := ssp.New(ssp.Config[S, *Log]{
		Role: ssp.Server, Key: key, Conn: sc, Local: server0, Remote: NewLog(),
		Rand: newPRNG(cfg.Seed + 1),
	})
	if err != nil {
		tb.Fatal(err)
	}
	ccfg := ssp.Config[*Log, S]{
		Role: ssp.Client, Key: key, Conn: nw.Dial(), Peer: sc.LocalAddr(), Local: NewLog(), Remote: client0,
		Rand: newPRNG(cfg.Seed + 2), Network: nw,
	}
	if cfg.NoHop {
		ccfg.Network = nil
	}
	client, err := ssp.New(ccfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { client.Close(); server.Close() })
	return &SimOf[S]{tb: tb, Clock: clock, Net: nw, Client: client, Server: server, ServerGot: NewLog()}
}

// Now is the simulated time.
func (s *SimOf[S]) Now() time.Time { return s.Clock.Now() }

// Converged reports whether each side holds the other's latest state.
func (s *SimOf[S]) Converged() bool {
	c, sv := s.Client.Current(), s.Server.Current()
	return s.ServerGot.End() == c.End() && bytes.Equal(tail(s.ServerGot, c), tail(c, s.ServerGot)) &&
		s.Client.Remote().Equal(sv)
}

func tail(a, b *Log) []byte {
	start := max(a.off, b.off)
	if start > a.End() {
		return nil
	}
	return a.data[start-a.off:]
}

// RunFor advances the simulation by d.
func (s *SimOf[S]) RunFor(d time.Duration) { s.RunUntil(d, nil) }

// RunUntil advances until cond holds (checked after every step) or d
// passes; it reports whether cond held.
func (s *SimOf[S]) RunUntil(d time.Duration, cond func() bool) bool {
	s.tb.Helper()
	limit := s.Now().Add(d)
	var lastNow time.Time
	zeroWaits := 0
	for range 50_000_000 { // bounded: far more steps than any test needs
		now := s.Now()
		s.Steps++
		s.pump(now)
		if cond != nil && cond() {
			return true
		}
		if !now.Before(limit) {
			return cond == nil
		}
		wait := s.Server.WaitTime(now)
		if !s.ClientPaused {
			wait = min(wait, s.Client.WaitTime(now))
		}
		if wait == 0 {
			// Tick just ran at this instant; asking again at once is a
			// busy loop in a real event loop.
			if now.Equal(lastNow) {
				zeroWaits++
				if zeroWaits > 3 {
					s.tb.Fatalf("ssptest: WaitTime stays 0 at %v after Tick (busy loop)", now)
				}
			}
		} else {
			zeroWaits = 0
		}
		lastNow = now
		next := limit
		if wait < limit.Sub(now) {
			next = now.Add(wait)
		}
		if ev, ok := s.Clock.Next(); ok && ev.Before(next) {
			next = ev
		}
		s.Clock.AdvanceTo(next)
	}
	s.tb.Fatal("ssptest: simulation did not finish")
	return false
}

// pump delivers queued datagrams, lets the server consume input, and
// ticks both sides.
func (s *SimOf[S]) pump(now time.Time) {
	buf := make([]byte, ssp.MaxDatagram+1)
	drain := func(receive func(time.Time, []byte, netip.AddrPort) bool, server bool) {
		for _, c := range s.Net.Conns(server) {
			for {
				n, from, ok := c.TryReadFrom(buf)
				if !ok {
					break
				}
				receive(now, buf[:n], from)
			}
		}
	}
	drain(s.Server.Receive, true)
	if d := s.Server.RemoteDiff(); len(d) > 0 {
		if err := s.ServerGot.Apply(d); err != nil {
			s.tb.Fatalf("server app: %v", err)
		}
	}
	if err := s.Server.Tick(now); err != nil {
		s.tb.Fatal(err)
	}
	if !s.ClientPaused {
		drain(s.Client.Receive, false)
		if err := s.Client.Tick(now); err != nil {
			s.tb.Fatal(err)
		}
	}
}

// ClientAddr is the client's current sending address.
func (s *SimOf[S]) ClientAddr() netip.AddrPort {
	cs := s.Client.Conns()
	return cs[len(cs)-1].LocalAddr()
}
