package parser

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// recorder is a Performer that writes down every call as a short string,
// merging adjacent PrintASCII runs so that how the input was split does not
// show.
type recorder struct {
	events []string
}

var _ Performer = (*recorder)(nil)

func (r *recorder) add(e string) { r.events = append(r.events, e) }

func (r *recorder) Print(c rune) { r.add(fmt.Sprintf("print %q", c)) }

func (r *recorder) PrintASCII(s []byte) {
	if n := len(r.events); n > 0 && strings.HasPrefix(r.events[n-1], "text ") {
		r.events[n-1] += string(s)
		return
	}
	r.add("text " + string(s))
}

func (r *recorder) Execute(c rune) { r.add(fmt.Sprintf("exec %#02x", c)) }

func (r *recorder) Esc(inter []byte, final byte) {
	r.add(fmt.Sprintf("esc %s%c", inter, final))
}

func (r *recorder) CSI(seq *Sequence) { r.add("csi " + formatSeq(seq)) }

func (r *recorder) OSC(body []byte) { r.add(fmt.Sprintf("osc %q", body)) }

func (r *recorder) DCS(seq *Sequence, body []byte) {
	r.add(fmt.Sprintf("dcs %s %q", formatSeq(seq), body))
}

// formatSeq writes a sequence header back in its wire syntax (marker,
// params with ';' and ':', intermediates, final), empty params left empty.
func formatSeq(seq *Sequence) string {
	var b strings.Builder
	if seq.Marker != 0 {
		b.WriteByte(seq.Marker)
	}
	for i := 0; i < seq.Params.Len(); i++ {
		if i > 0 {
			b.WriteByte(';')
		}
		for j, v := range seq.Params.Group(i) {
			if j > 0 {
				b.WriteByte(':')
			}
			if v != Missing {
				fmt.Fprint(&b, v)
			}
		}
	}
	b.Write(seq.Intermediates)
	b.WriteByte(seq.Final)
	return b.String()
}

func parseAll(in string) []string {
	var r recorder
	New(&r).Write([]byte(in))
	return r.events
}

type parseTest struct {
	name string
	in   string
	want []string
}

func runParseTests(t *testing.T, tests []parseTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseAll(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("parse %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
			// The same input one byte per Write must parse the same.
			var r recorder
			p := New(&r)
			for i := 0; i < len(tt.in); i++ {
				p.Write([]byte{tt.in[i]})
			}
			if !slices.Equal(r.events, tt.want) {
				t.Errorf("parse %q byte by byte:\n got %q\nwant %q", tt.in, r.events, tt.want)
			}
		})
	}
}

func TestGround(t *testing.T) {
	runParseTests(t, []parseTest{
		{"ascii", "hello, world", []string{"text hello, world"}},
		{"c0 execute", "a\r\nb\x07\x08\t\x00", []string{
			"text a", "exec 0x0d", "exec 0x0a", "text b", "exec 0x07",
			"exec 0x08", "exec 0x09", "exec 0x00"}},
		{"del ignored", "a\x7fb", []string{"text ab"}},
		{"utf8 2-byte", "é", []string{`print 'é'`}},
		{"utf8 3-byte", "a中b", []string{"text a", `print '中'`, "text b"}},
		{"utf8 4-byte emoji", "😀!", []string{`print '😀'`, "text !"}},
		{"utf8 literal U+FFFD", "\uFFFD", []string{`print '�'`}},
		{"nbsp is printable", "\u00a0", []string{`print '\u00a0'`}},
	})
}

func TestInvalidUTF8(t *testing.T) {
	const r = `print '�'`
	runParseTests(t, []parseTest{
		{"lone continuation", "\x80a", []string{r, "text a"}},
		{"two lone continuations", "\x80\xbf", []string{r, r}},
		{"truncated 2-byte then ascii", "\xc3a", []string{r, "text a"}},
		{"truncated 3-byte then ascii", "\xe4\xb8a", []string{r, "text a"}},
		{"truncated 4-byte then ascii", "\xf0\x9f\x98a", []string{r, "text a"}},
		{"truncated then esc sequence", "\xe4\x1b[m", []string{r, "csi m"}},
		{"truncated at end of stream", "a\xe4\xb8", []string{"text a"}},
		{"overlong 2-byte", "\xc0\xaf", []string{r, r}},
		{"overlong 3-byte", "\xe0\x80\xaf", []string{r, r, r}},
		{"overlong 4-byte", "\xf0\x80\x80\xaf", []string{r, r, r, r}},
		{"surrogate", "\xed\xa0\x80", []string{r, r, r}},
		{"above U+10FFFF", "\xf4\x90\x80\x80", []string{r, r, r, r}},
		{"f5 lead", "\xf5\x80", []string{r, r}},
		{"ff", "\xff", []string{r}},
		// Unicode 15 §3.9 table 3-11: a valid prefix is one maximal subpart.
		{"maximal subpart e1 80 then 41", "\xe1\x80A", []string{r, "text A"}},
		{"maximal subpart f1 80 80 then e1 80 c0", "\xf1\x80\x80\xe1\x80\xc0", []string{r, r, r}},
		{"max code point", "\xf4\x8f\xbf\xbf", []string{`print '\U0010ffff'`}},
	})
}

func TestC1(t *testing.T) {
	runParseTests(t, []parseTest{
		{"ind executes", "\u0084", []string{"exec 0x84"}},
		{"nel executes", "a\u0085b", []string{"text a", "exec 0x85", "text b"}},
		{"csi", "\u009b1;2H", []string{"csi 1;2H"}},
		{"osc", "\u009d0;t\u009c", []string{`osc "0;t"`}},
		{"dcs", "\u0090q#0\u009c", []string{`dcs q "#0"`}},
		{"st in ground does nothing", "\u009cx", []string{"text x"}},
		{"sos pm apc", "\u0098a\u009c\u009eb\u009c\u009fc\u009cz", []string{"text z"}},
		{"raw 8-bit csi is invalid utf8", "\x9b1m", []string{`print '�'`, "text 1m"}},
		{"c1 aborts csi", "\x1b[1\u0085m", []string{"exec 0x85", "text m"}},
	})
}

func TestCSI(t *testing.T) {
	runParseTests(t, []parseTest{
		{"no params", "\x1b[H", []string{"csi H"}},
		{"params", "\x1b[12;34H", []string{"csi 12;34H"}},
		{"empty first", "\x1b[;5H", []string{"csi ;5H"}},
		{"empty last", "\x1b[5;H", []string{"csi 5;H"}},
		{"all empty", "\x1b[;;m", []string{"csi ;;m"}},
		{"zero", "\x1b[0m", []string{"csi 0m"}},
		{"leading zeros", "\x1b[007m", []string{"csi 7m"}},
		{"saturate", "\x1b[99999999999H", []string{"csi 65535H"}},
		{"sgr rgb colon", "\x1b[38:2::255:0:0m", []string{"csi 38:2::255:0:0m"}},
		{"sgr curly underline", "\x1b[4:3m", []string{"csi 4:3m"}},
		{"sgr mixed", "\x1b[1;38:5:196;4:3m", []string{"csi 1;38:5:196;4:3m"}},
		{"leading colon", "\x1b[:3m", []string{"csi :3m"}},
		{"private ?", "\x1b[?25h", []string{"csi ?25h"}},
		{"private >", "\x1b[>c", []string{"csi >c"}},
		{"private <", "\x1b[<0;10;20M", []string{"csi <0;10;20M"}},
		{"private =", "\x1b[=5u", []string{"csi =5u"}},
		{"intermediate !", "\x1b[!p", []string{"csi !p"}},
		{"intermediate space", "\x1b[2 q", []string{"csi 2 q"}},
		{"intermediate $", "\x1b[?2026$p", []string{"csi ?2026$p"}},
		{"two intermediates", "\x1b[1 !p", []string{"csi 1 !p"}},
		{"c0 inside executes", "\x1b[1\r;2\nH", []string{"exec 0x0d", "exec 0x0a", "csi 1;2H"}},
		{"del inside ignored", "\x1b[1\x7f;2H", []string{"csi 1;2H"}},
		{"8-bit csi", "\u009b?1049l", []string{"csi ?1049l"}},
		{"final is tilde", "\x1b[3~", []string{"csi 3~"}},
		{"text after", "\x1b[mok", []string{"csi m", "text ok"}},
	})
}

func TestCSIIgnore(t *testing.T) {
	runParseTests(t, []parseTest{
		{"marker after param", "\x1b[1?hX", []string{"text X"}},
		{"second marker", "\x1b[??hX", []string{"text X"}},
		{"param after intermediate", "\x1b[ 1qX", []string{"text X"}},
		{"marker after intermediate", "\x1b[!?pX", []string{"text X"}},
		{"non-ascii inside", "\x1b[1éHX", []string{"text X"}},
		{"c0 still executes", "\x1b[1?\x07hX", []string{"exec 0x07", "text X"}},
		{"ignore consumes params", "\x1b[1?2;3;4mX", []string{"text X"}},
	})
}

func TestEsc(t *testing.T) {
	runParseTests(t, []parseTest{
		{"decsc", "\x1b7", []string{"esc 7"}},
		{"decrc", "\x1b8", []string{"esc 8"}},
		{"scs g0 graphics", "\x1b(0", []string{"esc (0"}},
		{"decaln", "\x1b#8", []string{"esc #8"}},
		{"ind", "\x1bD", []string{"esc D"}},
		{"ris", "\x1bc", []string{"esc c"}},
		{"keypad", "\x1b=\x1b>", []string{"esc =", "esc >"}},
		{"st alone", "\x1b\\", []string{`esc \`}},
		{"c0 inside executes", "\x1b(\r0", []string{"exec 0x0d", "esc (0"}},
		{"del inside ignored", "\x1b(\x7f0", []string{"esc (0"}},
		{"esc esc restarts", "\x1b\x1b7", []string{"esc 7"}},
		{"non-ascii aborts and prints", "\x1bé", []string{`print 'é'`}},
		{"too many intermediates dropped", "\x1b(((((((B", []string{"esc ((((B"}},
	})
}

func TestOSC(t *testing.T) {
	runParseTests(t, []parseTest{
		{"bel", "\x1b]0;title\x07x", []string{`osc "0;title"`, "text x"}},
		{"st", "\x1b]2;title\x1b\\x", []string{`osc "2;title"`, "text x"}},
		{"c1 st", "\x1b]2;title\u009cx", []string{`osc "2;title"`, "text x"}},
		{"utf8 title", "\x1b]0;héllo 世界 😀\x07", []string{`osc "0;héllo 世界 😀"`}},
		{"invalid utf8 in title", "\x1b]0;a\xffb\x07", []string{`osc "0;a�b"`}},
		{"c0 ignored", "\x1b]0;a\rb\x07", []string{`osc "0;ab"`}},
		{"empty", "\x1b]\x07", []string{`osc ""`}},
		{"8-bit introducer", "\u009d52;c;Zm9v\x07", []string{`osc "52;c;Zm9v"`}},
		{"esc other ends and dispatches", "\x1b]0;t\x1b7", []string{`osc "0;t"`, "esc 7"}},
		{"esc csi ends and dispatches", "\x1b]0;t\x1b[m", []string{`osc "0;t"`, "csi m"}},
	})
}

func TestDCS(t *testing.T) {
	runParseTests(t, []parseTest{
		{"decrqss", "\x1bP$qm\x1b\\", []string{`dcs $q "m"`}},
		{"params and body", "\x1bP1;2|ab\x1b\\", []string{`dcs 1;2| "ab"`}},
		{"sixel", "\x1bP0;0;0q#0;2;0;0;0~-\x1b\\", []string{`dcs 0;0;0q "#0;2;0;0;0~-"`}},
		{"private marker", "\x1bP>|x\x1b\\", []string{`dcs >| "x"`}},
		{"tmux passthrough keeps esc out", "\x1bPtmux;a\x1b\\", []string{`dcs t "mux;a"`}},
		{"c0 in body kept", "\x1bPqa\r\nb\x1b\\", []string{`dcs q "a\r\nb"`}},
		{"c0 in header ignored", "\x1bP1\r;2q\x1b\\", []string{`dcs 1;2q ""`}},
		{"utf8 body", "\x1bPqé\x1b\\", []string{`dcs q "é"`}},
		{"c1 st", "\x1bPqx\u009c", []string{`dcs q "x"`}},
		{"8-bit introducer", "\u0090qx\u009c", []string{`dcs q "x"`}},
		{"ignore on bad marker", "\x1bP1?qx\x1b\\z", []string{"text z"}},
		{"ignore on param after intermediate", "\x1bP$1qx\x1b\\z", []string{"text z"}},
	})
}

func TestStringsIgnored(t *testing.T) {
	runParseTests(t, []parseTest{
		{"sos", "\x1bXhello\x1b\\z", []string{"text z"}},
		{"pm", "\x1b^hello\x1b\\z", []string{"text z"}},
		{"apc", "\x1b_Gi=1;AAAA\x1b\\z", []string{"text z"}},
		{"apc with c0 and utf8", "\x1b_a\x07\né\u009cz", []string{"text z"}},
	})
}

func TestCancel(t *testing.T) {
	runParseTests(t, []parseTest{
		{"can aborts csi", "\x1b[1;2\x18H", []string{"exec 0x18", "text H"}},
		{"sub aborts csi", "\x1b[1;2\x1aH", []string{"exec 0x1a", "text H"}},
		{"can aborts esc", "\x1b(\x180", []string{"exec 0x18", "text 0"}},
		{"can aborts osc", "\x1b]0;t\x18x\x07", []string{"exec 0x18", "text x", "exec 0x07"}},
		{"sub aborts dcs", "\x1bPqab\x1acd\x1b\\", []string{"exec 0x1a", "text cd", `esc \`}},
		{"can aborts sos", "\x1bXab\x18cd", []string{"exec 0x18", "text cd"}},
		{"can in ground", "a\x18b", []string{"text a", "exec 0x18", "text b"}},
		{"esc restarts csi", "\x1b[1;2\x1b[3m", []string{"csi 3m"}},
		{"esc restarts csi ignore", "\x1b[1?\x1b[3m", []string{"csi 3m"}},
		{"esc restarts dcs header", "\x1bP1\x1b7", []string{"esc 7"}},
		{"csi restarts csi", "\x1b[1;2\u009b3m", []string{"csi 3m"}},
	})
}

func TestParams(t *testing.T) {
	var seqs []Sequence
	p := New(performerFunc{csi: func(s *Sequence) { seqs = append(seqs, *s) }})
	p.Write([]byte("\x1b[1;38:2::255:128:0;;4:3m"))
	if len(seqs) != 1 {
		t.Fatalf("got %d sequences, want 1", len(seqs))
	}
	ps := &seqs[0].Params
	if ps.Len() != 4 {
		t.Errorf("Len() = %d, want 4", ps.Len())
	}
	if !ps.HasSub() {
		t.Error("HasSub() = false, want true")
	}
	if got, want := ps.Group(1), []int32{38, 2, Missing, 255, 128, 0}; !slices.Equal(got, want) {
		t.Errorf("Group(1) = %v, want %v", got, want)
	}
	if got := ps.At(2, 7); got != 7 {
		t.Errorf("At(2, 7) on an empty param = %d, want the default 7", got)
	}
	if got := ps.At(3, 0); got != 4 {
		t.Errorf("At(3, 0) = %d, want 4", got)
	}
	if got := ps.At(9, 5); got != 5 {
		t.Errorf("At(9, 5) out of range = %d, want 5", got)
	}
	if ps.Group(4) != nil {
		t.Errorf("Group(4) = %v, want nil", ps.Group(4))
	}
}

func TestLimits(t *testing.T) {
	t.Run("params", func(t *testing.T) {
		var got Sequence
		p := New(performerFunc{csi: func(s *Sequence) { got = *s }})
		in := "\x1b[" + strings.Repeat("1;", 100) + "2m"
		p.Write([]byte(in))
		if got.Final != 'm' || got.Params.Len() != MaxParams {
			t.Fatalf("%d params then final %q, want %d then 'm'", got.Params.Len(), got.Final, MaxParams)
		}
	})
	t.Run("sub-params count", func(t *testing.T) {
		var got Sequence
		p := New(performerFunc{csi: func(s *Sequence) { got = *s }})
		p.Write([]byte("\x1b[38" + strings.Repeat(":1", 100) + "m"))
		if g := got.Params.Group(0); len(g) != MaxParams {
			t.Fatalf("group has %d values, want %d", len(g), MaxParams)
		}
	})
	t.Run("intermediates", func(t *testing.T) {
		got := parseAll("\x1b[" + strings.Repeat("!", 10) + "p")
		want := []string{"csi " + strings.Repeat("!", MaxIntermediates) + "p"}
		if !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("osc truncated", func(t *testing.T) {
		body := strings.Repeat("x", MaxOSCLen+1000)
		got := parseAll("\x1b]" + body + "\x07after")
		want := []string{fmt.Sprintf("osc %q", body[:MaxOSCLen]), "text after"}
		if !slices.Equal(got, want) {
			t.Fatalf("got %d events starting %.60q, want truncated body then text", len(got), got)
		}
	})
	t.Run("osc truncated keeps whole code points", func(t *testing.T) {
		var body []byte
		p := New(performerFunc{osc: func(b []byte) { body = slices.Clone(b) }})
		p.Write([]byte("\x1b]" + strings.Repeat("x", MaxOSCLen-1) + "é\x07"))
		if len(body) != MaxOSCLen-1 {
			t.Fatalf("body has %d bytes, want %d (the 2-byte é dropped whole)", len(body), MaxOSCLen-1)
		}
	})
	t.Run("dcs truncated", func(t *testing.T) {
		var body []byte
		p := New(performerFunc{dcs: func(_ *Sequence, b []byte) { body = slices.Clone(b) }})
		p.Write([]byte("\x1bPq" + strings.Repeat("~", 3*MaxDCSLen) + "\x1b\\"))
		if len(body) != MaxDCSLen {
			t.Fatalf("body has %d bytes, want %d", len(body), MaxDCSLen)
		}
	})
}

func TestReset(t *testing.T) {
	var r recorder
	p := New(&r)
	p.Write([]byte("\x1b[12;"))
	p.Reset()
	p.Write([]byte("3m\xe4"))
	p.Reset()
	p.Write([]byte("\xb8x"))
	want := []string{"text 3m", `print '�'`, "text x"}
	if !slices.Equal(r.events, want) {
		t.Fatalf("got %q, want %q", r.events, want)
	}
}

// performerFunc is a Performer that hands chosen calls to functions and
// drops the rest.
type performerFunc struct {
	csi func(*Sequence)
	osc func([]byte)
	dcs func(*Sequence, []byte)
}

func (performerFunc) Print(rune)        {}
func (performerFunc) PrintASCII([]byte) {}
func (performerFunc) Execute(rune)      {}
func (performerFunc) Esc([]byte, byte)  {}
func (f performerFunc) CSI(s *Sequence) {
	if f.csi != nil {
		f.csi(s)
	}
}
func (f performerFunc) OSC(b []byte) {
	if f.osc != nil {
		f.osc(b)
	}
}
func (f performerFunc) DCS(s *Sequence, b []byte) {
	if f.dcs != nil {
		f.dcs(s, b)
	}
}

// fragments are pieces random streams are built from: whole and partial
// sequences, UTF-8 and garbage.
var fragments = []string{
	"hello", " ", "world\r\n", "\x1b", "[", "]", "P", "\\", ";", ":", "?", "1", "38", "2",
	"\x1b[", "\x1b[0m", "\x1b[1;31m", "\x1b[38:2::1:2:3m", "\x1b[?25l", "\x1b[2 q", "\x1b(0",
	"\x1b#8", "\x1b7", "\x1b]0;title\x07", "\x1b]2;t", "\x1b\\", "\x1bPq#0~\x1b\\", "\x1bP1$r",
	"\x1b_apc\x1b\\", "\x1bX", "\x18", "\x1a", "\x07", "\x7f", "é", "中文", "😀", "\u009b", "\u009c",
	"\u009d", "\u0090", "\u0085", "\xc3", "\xe4\xb8", "\xf0\x9f", "\x80", "\xff", "\xed\xa0\x80",
	"\xf4\x90\x80\x80", "\xc0\xaf", "m", "H", "\x00", "\t",
}

// randomStream builds a stream of n fragments, sometimes with random bytes.
func randomStream(rng *rand.Rand, n int) []byte {
	var b []byte
	for range n {
		if rng.IntN(8) == 0 {
			b = append(b, byte(rng.IntN(256)))
			continue
		}
		b = append(b, fragments[rng.IntN(len(fragments))]...)
	}
	return b
}

// splitEvents parses b whole and in random pieces and returns both.
func splitEvents(rng *rand.Rand, b []byte) (whole, split []string) {
	var w, s recorder
	New(&w).Write(b)
	p := New(&s)
	for len(b) > 0 {
		n := rng.IntN(min(len(b), 9) + 1)
		p.Write(b[:n])
		b = b[n:]
	}
	return w.events, s.events
}

func TestSplitEquivalence(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for i := range 2000 {
		in := randomStream(rng, 1+rng.IntN(40))
		whole, split := splitEvents(rng, in)
		if !slices.Equal(whole, split) {
			t.Fatalf("stream %d %q:\nwhole %q\nsplit %q", i, in, whole, split)
		}
	}
}

func TestWriteConsumesAllWithoutAllocating(t *testing.T) {
	in := []byte("plain \x1b[1;38:2::9:8:7mbold\x1b[0m 中文😀 \x1b]0;t\x07\x1bPqx\x1b\\\xff\x1b(0\r\n")
	p := New(nopPerformer{})
	n, err := p.Write(in)
	if n != len(in) || err != nil {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(in))
	}
	allocs := testing.AllocsPerRun(100, func() {
		for i := 0; i < len(in); i += 5 {
			p.Write(in[i:min(i+5, len(in))])
		}
	})
	if allocs != 0 {
		t.Fatalf("Write allocated %.1f times per stream, want 0", allocs)
	}
}

// TestFastPathsMatchStateMachine checks Write's shortcuts (text runs, OSC
// runs, CSI parameter loop) against the plain state machine fed one byte at
// a time, on 7-bit streams where no UTF-8 decoding is involved.
func TestFastPathsMatchStateMachine(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range 2000 {
		in := randomStream(rng, 1+rng.IntN(40))
		in = slices.DeleteFunc(in, func(c byte) bool { return c >= 0x80 })
		var fast, slow recorder
		New(&fast).Write(in)
		p := New(&slow)
		for _, c := range in {
			p.advance(rune(c))
		}
		if !slices.Equal(fast.events, slow.events) {
			t.Fatalf("stream %d %q:\nWrite   %q\nadvance %q", i, in, fast.events, slow.events)
		}
	}
}
