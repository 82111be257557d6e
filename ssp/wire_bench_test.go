package ssp

import "testing"

// BenchmarkInstructionKeystroke measures what every datagram of a typing
// session costs outside the cipher: one keystroke's instruction encoded
// and compressed, and inflated and decoded again (issue 3).
func BenchmarkInstructionKeystroke(b *testing.B) {
	inst := keystroke(9)
	b.Run("marshal", func(b *testing.B) {
		var d deflater
		for b.Loop() {
			inst.marshalWith(&d)
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		z := inst.marshal()
		var f inflater
		for b.Loop() {
			if _, err := f.unmarshal(z); err != nil {
				b.Fatal(err)
			}
		}
	})
}
