package parser

import (
	"bytes"
	"testing"
)

// nopPerformer discards everything, so benchmarks measure the parser alone.
type nopPerformer struct{}

func (nopPerformer) Print(rune)            {}
func (nopPerformer) PrintASCII([]byte)     {}
func (nopPerformer) Execute(rune)          {}
func (nopPerformer) Esc([]byte, byte)      {}
func (nopPerformer) CSI(*Sequence)         {}
func (nopPerformer) OSC([]byte)            {}
func (nopPerformer) DCS(*Sequence, []byte) {}

const benchSize = 4 << 20

// repeatTo repeats unit until the result is at least n bytes long.
func repeatTo(unit string, n int) []byte {
	return bytes.Repeat([]byte(unit), n/len(unit)+1)
}

func benchWrite(b *testing.B, in []byte) {
	p := New(nopPerformer{})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// Write in 4 KiB chunks, as a pty read would deliver it.
		for i := 0; i < len(in); i += 4096 {
			p.Write(in[i:min(i+4096, len(in))])
		}
	}
}

// BenchmarkParserASCII is plain text: 80-column lines of printable ASCII,
// as from cat or a compiler log.
func BenchmarkParserASCII(b *testing.B) {
	line := "The quick brown fox jumps over the lazy dog; 0123456789 !@#$%^&*() the end.  \r\n"
	benchWrite(b, repeatTo(line, benchSize))
}

// BenchmarkParserSGR is coloured output: ls --color and a syntax
// highlighter using 16, 256 and direct colours.
func BenchmarkParserSGR(b *testing.B) {
	unit := "\x1b[0m\x1b[01;34mbin\x1b[0m  \x1b[01;32mconfigure\x1b[0m  \x1b[01;36mlib64\x1b[0m  README.md  \x1b[01;31mpkg.tar.gz\x1b[0m\r\n" +
		"\x1b[38;5;208mfunc\x1b[39m \x1b[38;2;97;175;239mmain\x1b[0m() {\r\n" +
		"\t\x1b[38:2::198:120:221mfmt\x1b[0m.\x1b[1;33mPrintln\x1b[22;39m(\x1b[32m\"hello\"\x1b[m)\r\n}\r\n"
	benchWrite(b, repeatTo(unit, benchSize))
}

// BenchmarkParserUTF8 is CJK text mixed with emoji and accented Latin.
func BenchmarkParserUTF8(b *testing.B) {
	unit := "终端模拟器解析器基准测试，日本語のテキストも含む。한국어 텍스트 😀🎉🚀 naïve café\r\n"
	benchWrite(b, repeatTo(unit, benchSize))
}
