package vt

// charset is a 94-character set designated into G0–G3 (SCS: ESC ( F,
// ESC ) F, ESC * F, ESC + F). Only the sets programs still use are known;
// any other designation selects ASCII.
type charset uint8

const (
	charsetASCII      charset = iota // ESC ( B
	charsetDECSpecial                // ESC ( 0: DEC Special Graphics (line drawing)
	charsetUK                        // ESC ( A: '#' is '£'
)

func charsetFor(final byte) charset {
	switch final {
	case '0':
		return charsetDECSpecial
	case 'A':
		return charsetUK
	}
	return charsetASCII
}

// decSpecial maps 0x5F–0x7E to the DEC Special Graphics glyphs
// (vt100.net/docs/vt100-ug/table3-9.html; Unicode mapping as in xterm).
var decSpecial = [32]rune{
	0x0020, // _ blank
	0x25C6, // ` diamond
	0x2592, // a checkerboard
	0x2409, // b HT
	0x240C, // c FF
	0x240D, // d CR
	0x240A, // e LF
	0x00B0, // f degree
	0x00B1, // g plus/minus
	0x2424, // h NL
	0x240B, // i VT
	0x2518, // j ┘
	0x2510, // k ┐
	0x250C, // l ┌
	0x2514, // m └
	0x253C, // n ┼
	0x23BA, // o scan 1
	0x23BB, // p scan 3
	0x2500, // q ─ scan 5
	0x23BC, // r scan 7
	0x23BD, // s scan 9
	0x251C, // t ├
	0x2524, // u ┤
	0x2534, // v ┴
	0x252C, // w ┬
	0x2502, // x │
	0x2264, // y ≤
	0x2265, // z ≥
	0x03C0, // { π
	0x2260, // | ≠
	0x00A3, // } £
	0x00B7, // ~ ·
}

// translate maps an ASCII code point through the charset.
func (c charset) translate(r rune) rune {
	switch c {
	case charsetDECSpecial:
		if r >= 0x5F && r <= 0x7E {
			return decSpecial[r-0x5F]
		}
	case charsetUK:
		if r == '#' {
			return 0x00A3
		}
	}
	return r
}
