package main

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// counter counts datagrams and payload bytes (UDP payload, without IP and
// UDP headers) in one direction.
type counter struct {
	dgrams atomic.Uint64
	bytes  atomic.Uint64
}

func (c *counter) add(n int) {
	c.dgrams.Add(1)
	c.bytes.Add(uint64(n))
}

// flow is a snapshot of a counter.
type flow struct{ Dgrams, Bytes uint64 }

func (c *counter) snap() flow { return flow{c.dgrams.Load(), c.bytes.Load()} }

func (f flow) sub(g flow) flow { return flow{f.Dgrams - g.Dgrams, f.Bytes - g.Bytes} }

// relay is a transparent, counting UDP forwarder: it listens on front,
// forwards what arrives there to target from its own back socket, and sends
// what comes back to the newest sender on front (so a client that hops
// ports, as mosh-client does after silence, keeps working).
//
// The impairment proxy (ssp/conn/impair) counts datagrams but not bytes,
// and it counts them where they enter it; one relay on each side of it
// counts what each endpoint sent before the proxy dropped any.
type relay struct {
	front, back *net.UDPConn
	target      *net.UDPAddr
	up, down    counter       // up: front → target; down: target → front
	last        *atomic.Int64 // unix nanos of the newest datagram, shared by relays
	tapUp       *decoder      // decodes what goes up, if not nil
	tapDown     *decoder      // decodes what comes down, if not nil
	wg          sync.WaitGroup

	mu   sync.Mutex
	peer *net.UDPAddr
}

func newRelay(target *net.UDPAddr, last *atomic.Int64, tapUp, tapDown *decoder) (*relay, error) {
	lo := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}
	front, err := net.ListenUDP("udp", lo)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	back, err := net.ListenUDP("udp", lo)
	if err != nil {
		front.Close()
		return nil, fmt.Errorf("relay: %w", err)
	}
	r := &relay{front: front, back: back, target: target, last: last, tapUp: tapUp, tapDown: tapDown}
	r.wg.Add(2)
	go r.upLoop()
	go r.downLoop()
	return r, nil
}

func (r *relay) addr() *net.UDPAddr { return r.front.LocalAddr().(*net.UDPAddr) }

func (r *relay) upLoop() {
	defer r.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := r.front.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		r.last.Store(time.Now().UnixNano())
		r.up.add(n)
		r.tapUp.datagram(buf[:n])
		r.mu.Lock()
		r.peer = from
		r.mu.Unlock()
		r.back.WriteToUDP(buf[:n], r.target)
	}
}

func (r *relay) downLoop() {
	defer r.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, _, err := r.back.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		r.last.Store(time.Now().UnixNano())
		r.down.add(n)
		r.tapDown.datagram(buf[:n])
		r.mu.Lock()
		peer := r.peer
		r.mu.Unlock()
		if peer != nil {
			r.front.WriteToUDP(buf[:n], peer)
		}
	}
}

func (r *relay) close() {
	r.front.Close()
	r.back.Close()
	r.wg.Wait()
}
