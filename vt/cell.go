package vt

// Color is a foreground, background or underline colour. The zero value is
// the terminal's default colour. The top byte says which kind it is:
//
//	0x00000000            default
//	0x01000000 | n        indexed (0–255: 8 basic, 8 bright, 216 cube, 24 grey)
//	0x02000000 | rrggbb   24-bit RGB
type Color uint32

const (
	colorIndexed Color = 1 << 24
	colorRGB     Color = 2 << 24
	colorKind    Color = 0xff << 24
)

// DefaultColor is the terminal's default colour.
const DefaultColor Color = 0

// IndexedColor returns palette colour n (SGR 30–37, 90–97, 38;5;n).
func IndexedColor(n uint8) Color { return colorIndexed | Color(n) }

// RGBColor returns a 24-bit colour (SGR 38;2;r;g;b).
func RGBColor(r, g, b uint8) Color {
	return colorRGB | Color(r)<<16 | Color(g)<<8 | Color(b)
}

// IsDefault reports whether c is the default colour.
func (c Color) IsDefault() bool { return c == 0 }

// IsIndexed reports whether c is a palette colour.
func (c Color) IsIndexed() bool { return c&colorKind == colorIndexed }

// IsRGB reports whether c is a 24-bit colour.
func (c Color) IsRGB() bool { return c&colorKind == colorRGB }

// Index returns the palette index of an indexed colour (0 otherwise).
func (c Color) Index() uint8 {
	if !c.IsIndexed() {
		return 0
	}
	return uint8(c)
}

// RGB returns the components of a 24-bit colour (zeros otherwise).
func (c Color) RGB() (r, g, b uint8) {
	if !c.IsRGB() {
		return 0, 0, 0
	}
	return uint8(c >> 16), uint8(c >> 8), uint8(c)
}

// Attr is a set of SGR rendition flags.
type Attr uint16

// Rendition flags (ECMA-48 §8.3.117 SGR; xterm ctlseqs "Character
// Attributes").
const (
	Bold          Attr = 1 << iota // SGR 1, reset by 22
	Dim                            // SGR 2 (faint), reset by 22
	Italic                         // SGR 3, reset by 23
	Blink                          // SGR 5 (and 6), reset by 25
	Inverse                        // SGR 7, reset by 27
	Hidden                         // SGR 8, reset by 28
	Strikethrough                  // SGR 9, reset by 29
	Overline                       // SGR 53, reset by 55
)

// UnderlineStyle is the kind of underline (SGR 4, 4:n, 21).
type UnderlineStyle uint8

// Underline styles, numbered as in the kitty/VTE "4:n" extension.
const (
	UnderlineNone   UnderlineStyle = iota // 4:0, SGR 24
	UnderlineSingle                       // SGR 4, 4:1
	UnderlineDouble                       // SGR 21, 4:2
	UnderlineCurly                        // 4:3
	UnderlineDotted                       // 4:4
	UnderlineDashed                       // 4:5
)

// Style is a cell's rendition. Styles are comparable values; the screen
// interns them so that a cell stores only a small index.
type Style struct {
	Fg, Bg, UnderlineColor Color
	Attrs                  Attr
	Underline              UnderlineStyle
	// Link is the OSC 8 hyperlink URI ("" for none) and LinkID its id=
	// parameter, which lets a terminal join separate runs into one link.
	Link   string
	LinkID string
}

// Cell is one column of the visible grid or of a scrollback line, as the
// public API presents it.
type Cell struct {
	// Text is the grapheme cluster shown in the cell; "" for an empty cell
	// (never written, or erased), and "" for the second column of a wide
	// cell.
	Text string
	// Width is 1, 2 for a wide cell, or 0 for the second column of a wide
	// cell.
	Width int
	Style Style
}

// cell is the internal, compact form of a cell: 8 bytes.
//
//	r      the code point when flags&cellCluster == 0 (0: empty cell);
//	       otherwise an index into tables.clusters (multi-rune clusters).
//	style  index into tables.styles (0 = the default style).
//	flags  cellWide: first column of a wide cell; cellTail: second column.
//
// An empty cell keeps a style so that erasing with a background colour
// (xterm's "background colour erase") shows that colour.
type cell struct {
	r     rune
	style uint16
	flags uint8
}

const (
	cellWide      uint8 = 1 << iota // first column of a width-2 cell
	cellTail                        // second column of a width-2 cell (r == 0)
	cellCluster                     // r indexes tables.clusters
	cellProtected                   // written while DECSCA was on: selective erase skips it
)

// width returns the cell's column count as the public Cell reports it.
func (c cell) width() int {
	switch {
	case c.flags&cellWide != 0:
		return 2
	case c.flags&cellTail != 0:
		return 0
	}
	return 1
}

// visual returns the flags that matter for display (not protection).
func (c cell) visual() cell {
	c.flags &^= cellProtected
	return c
}

// blank reports whether c is an empty, unstyled cell (as a never-written
// cell is).
func (c cell) blank() bool { return c == cell{} }

// asciiText holds one-byte strings so that Cell never allocates for ASCII.
var asciiText = func() (t [128]string) {
	for i := range t {
		t[i] = string(rune(i))
	}
	return t
}()
