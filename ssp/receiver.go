package ssp

import (
	"slices"
	"time"
)

type receivedState[R any] struct {
	at    time.Time
	num   uint64
	state R
}

// receiver is the incoming half of SSP (§6.5): the peer's numbered states,
// sorted by number, from which new diffs are applied.
type receiver[R State[R]] struct {
	states       []receivedState[R]
	quenchUntil  time.Time
	lastConsumed R // what RemoteDiff last returned up to
}

func newReceiver[R State[R]](initial R) receiver[R] {
	return receiver[R]{
		states:       []receivedState[R]{{num: 0, state: initial.Clone()}},
		lastConsumed: initial.Clone(),
	}
}

func (r *receiver[R]) newest() *receivedState[R] { return &r.states[len(r.states)-1] }

func (r *receiver[R]) find(num uint64) (int, bool) {
	return slices.BinarySearchFunc(r.states, num, func(s receivedState[R], n uint64) int {
		switch {
		case s.num < n:
			return -1
		case s.num > n:
			return 1
		}
		return 0
	})
}

// throwaway forgets states the sender will never again diff against, but
// always keeps the newest.
func (r *receiver[R]) throwaway(num uint64) {
	i := 0
	for i < len(r.states)-1 && r.states[i].num < num {
		i++
	}
	if i > 0 {
		clear(r.states[:i])
		r.states = append(r.states[:0], r.states[i:]...)
	}
}

// insert places a new state by number and reports whether it became the
// newest (an out-of-order arrival lands in the middle).
func (r *receiver[R]) insert(s receivedState[R]) bool {
	i, _ := r.find(s.num)
	r.states = slices.Insert(r.states, i, s)
	return i == len(r.states)-1
}
