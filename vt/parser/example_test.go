package parser_test

import (
	"fmt"

	"github.com/goshterm/gosh/vt/parser"
)

// printer shows what a Performer receives.
type printer struct{}

func (printer) Print(r rune)        { fmt.Printf("Print %q\n", r) }
func (printer) PrintASCII(s []byte) { fmt.Printf("PrintASCII %q\n", s) }
func (printer) Execute(c rune)      { fmt.Printf("Execute %#x\n", c) }
func (printer) Esc(inter []byte, final byte) {
	fmt.Printf("Esc %q %q\n", inter, final)
}
func (printer) CSI(s *parser.Sequence) {
	fmt.Printf("CSI marker=%q final=%q groups=%d", s.Marker, s.Final, s.Params.Len())
	for i := 0; i < s.Params.Len(); i++ {
		fmt.Printf(" %v", s.Params.Group(i))
	}
	fmt.Println()
}
func (printer) OSC(body []byte) { fmt.Printf("OSC %q\n", body) }
func (printer) DCS(s *parser.Sequence, body []byte) {
	fmt.Printf("DCS final=%q body=%q\n", s.Final, body)
}

func Example() {
	p := parser.New(printer{})
	// A sequence split across writes parses as if it came whole.
	p.Write([]byte("\x1b]0;tit"))
	p.Write([]byte("le\x07\x1b[1;38:2::255:0"))
	p.Write([]byte(":0mhi\xe4\xb8"))
	p.Write([]byte("\xad\r\n\x1b[?25l"))
	// Output:
	// OSC "0;title"
	// CSI marker='\x00' final='m' groups=2 [1] [38 2 -1 255 0 0]
	// PrintASCII "hi"
	// Print '中'
	// Execute 0xd
	// Execute 0xa
	// CSI marker='?' final='l' groups=1 [25]
}
