package ssptest

import (
	"io"
	"math/rand/v2"
)

// newPRNG returns a seeded byte stream for chaff, so simulations repeat.
func newPRNG(seed uint64) io.Reader { return rand.NewChaCha8(seedBytes(seed)) }

func seedBytes(s uint64) (b [32]byte) {
	for i := range 8 {
		b[i] = byte(s >> (8 * i))
	}
	return b
}
