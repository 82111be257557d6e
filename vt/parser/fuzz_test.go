package parser

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"
)

// checker is a recorder that also notes every bound a dispatch broke.
type checker struct {
	recorder
	violations []string
}

func (c *checker) checkSeq(s *Sequence) {
	n := 0
	for i := 0; i < s.Params.Len(); i++ {
		n += len(s.Params.Group(i))
		for _, v := range s.Params.Group(i) {
			if v != Missing && (v < 0 || v > MaxParamValue) {
				c.violations = append(c.violations, "param value out of range")
			}
		}
	}
	if n > MaxParams {
		c.violations = append(c.violations, "too many params")
	}
	if len(s.Intermediates) > MaxIntermediates {
		c.violations = append(c.violations, "too many intermediates")
	}
	if s.Final < 0x40 || s.Final > 0x7e {
		c.violations = append(c.violations, "final byte out of range")
	}
	if m := s.Marker; m != 0 && (m < '<' || m > '?') {
		c.violations = append(c.violations, "bad marker")
	}
}

func (c *checker) Print(r rune) {
	if r < 0xa0 || !utf8.ValidRune(r) {
		c.violations = append(c.violations, "printed a control or invalid rune")
	}
	c.recorder.Print(r)
}

func (c *checker) PrintASCII(s []byte) {
	if len(s) == 0 || asciiRun(s) != len(s) {
		c.violations = append(c.violations, "PrintASCII of non-printable bytes")
	}
	c.recorder.PrintASCII(s)
}

func (c *checker) CSI(s *Sequence) {
	c.checkSeq(s)
	c.recorder.CSI(s)
}

func (c *checker) OSC(b []byte) {
	if len(b) > MaxOSCLen {
		c.violations = append(c.violations, "OSC body over bound")
	}
	if !utf8.Valid(b) {
		c.violations = append(c.violations, "OSC body not UTF-8")
	}
	c.recorder.OSC(b)
}

func (c *checker) DCS(s *Sequence, b []byte) {
	c.checkSeq(s)
	if len(b) > MaxDCSLen {
		c.violations = append(c.violations, "DCS body over bound")
	}
	c.recorder.DCS(s, b)
}

func FuzzParser(f *testing.F) {
	for _, s := range []string{
		"hello\r\n", "\x1b[1;31mred\x1b[0m", "\x1b[38:2::255:0:0m", "\x1b[4:3m", "\x1b[?1049h",
		"\x1b[2 q", "\x1b[!p", "\x1b(0", "\x1b#8", "\x1b7\x1b8", "\x1b]0;title\x07",
		"\x1b]2;héllo\x1b\\", "\u009d0;t\u009c", "\x1bP1$r0m\x1b\\", "\x1bPq#0;2;0;0;0~\x1b\\",
		"\x1b_Gf=100;AAAA\x1b\\", "\x1bXsos\x1b\\", "\x1b[1;2\x18H", "\x1b[1?h", "\x1b[1\x1b[2m",
		"中文😀é", "\xc3(\xe2\x82\xff\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf", "\u009b?25l\u0085",
		"\x1b[" + string(make([]byte, 40)) + "m",
	} {
		f.Add([]byte(s), uint64(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, seed uint64) {
		var whole checker
		New(&whole).Write(in)
		if len(whole.violations) > 0 {
			t.Fatalf("%q: %v", in, whole.violations)
		}
		rng := rand.New(rand.NewPCG(seed, seed))
		var split recorder
		p := New(&split)
		for b := in; len(b) > 0; {
			n := rng.IntN(len(b) + 1)
			p.Write(b[:n])
			b = b[n:]
		}
		if !slices.Equal(whole.events, split.events) {
			t.Fatalf("%q seed %d:\nwhole %q\nsplit %q", in, seed, whole.events, split.events)
		}
	})
}
