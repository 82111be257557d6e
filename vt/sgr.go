package vt

import "github.com/goshterm/gosh/vt/parser"

// sgr applies Select Graphic Rendition (ECMA-48 §8.3.117, xterm ctlseqs
// "Character Attributes"), including the ITU T.416 colour forms with ':'
// (38:2::r:g:b, 38:2:r:g:b, 38:5:n) and the ';' forms xterm also accepts
// (38;2;r;g;b, 38;5;n), underline styles 4:0–4:5 and underline colour
// 58/59. The pen is interned once per SGR, not per cell.
func (s *Screen) sgr(p *parser.Params) {
	pen := s.pen
	n := p.Len()
	if n == 0 {
		pen = Style{Link: pen.Link, LinkID: pen.LinkID}
	}
	for i := 0; i < n; i++ {
		g := p.Group(i)
		v := int(g[0])
		if v == parser.Missing {
			v = 0
		}
		switch {
		case v == 0:
			pen = Style{Link: pen.Link, LinkID: pen.LinkID}
		case v == 1:
			pen.Attrs |= Bold
		case v == 2:
			pen.Attrs |= Dim
		case v == 3:
			pen.Attrs |= Italic
		case v == 4:
			pen.Underline = UnderlineSingle
			if len(g) > 1 {
				if u := g[1]; u >= 0 && u <= 5 {
					pen.Underline = UnderlineStyle(u)
				} else if u == parser.Missing {
					pen.Underline = UnderlineNone
				}
			}
		case v == 5, v == 6:
			pen.Attrs |= Blink
		case v == 7:
			pen.Attrs |= Inverse
		case v == 8:
			pen.Attrs |= Hidden
		case v == 9:
			pen.Attrs |= Strikethrough
		case v == 21:
			pen.Underline = UnderlineDouble
		case v == 22:
			pen.Attrs &^= Bold | Dim
		case v == 23:
			pen.Attrs &^= Italic
		case v == 24:
			pen.Underline = UnderlineNone
		case v == 25:
			pen.Attrs &^= Blink
		case v == 27:
			pen.Attrs &^= Inverse
		case v == 28:
			pen.Attrs &^= Hidden
		case v == 29:
			pen.Attrs &^= Strikethrough
		case v >= 30 && v <= 37:
			pen.Fg = IndexedColor(uint8(v - 30))
		case v == 38, v == 48, v == 58:
			c, used, ok := extColor(p, i, g)
			i += used
			if ok {
				switch v {
				case 38:
					pen.Fg = c
				case 48:
					pen.Bg = c
				default:
					pen.UnderlineColor = c
				}
			}
		case v == 39:
			pen.Fg = 0
		case v >= 40 && v <= 47:
			pen.Bg = IndexedColor(uint8(v - 40))
		case v == 49:
			pen.Bg = 0
		case v == 53:
			pen.Attrs |= Overline
		case v == 55:
			pen.Attrs &^= Overline
		case v == 59:
			pen.UnderlineColor = 0
		case v >= 90 && v <= 97:
			pen.Fg = IndexedColor(uint8(v - 90 + 8))
		case v >= 100 && v <= 107:
			pen.Bg = IndexedColor(uint8(v - 100 + 8))
		}
	}
	if pen != s.pen {
		s.setPen(pen)
	}
}

// extColor decodes an extended colour starting at group i, whose values
// are g. In the ':' form everything is inside g; in the ';' form the
// components are the following groups, and used says how many of them
// were consumed.
func extColor(p *parser.Params, i int, g []int32) (c Color, used int, ok bool) {
	var vals [5]int32 // kind, then components
	n := 0
	if len(g) > 1 {
		// 38:5:n, 38:2:r:g:b or 38:2:cs:r:g:b (ITU T.416 colour space id).
		rest := g[1:]
		if rest[0] == 2 && len(rest) >= 5 {
			vals[0] = 2
			n = 1 + copy(vals[1:], rest[2:5])
		} else {
			n = copy(vals[:], rest)
		}
	} else {
		kind := p.At(i+1, -1)
		vals[0] = int32(kind)
		n = 1
		want := 0
		switch kind {
		case 5:
			want = 1
		case 2:
			want = 3
		default:
			return 0, min(1, p.Len()-i-1), false
		}
		for k := 0; k < want && i+2+k < p.Len(); k++ {
			vals[n] = int32(p.At(i+2+k, 0))
			n++
		}
		used = n
	}
	switch {
	case n >= 2 && vals[0] == 5:
		if vals[1] < 0 || vals[1] > 255 {
			return 0, used, false
		}
		return IndexedColor(uint8(vals[1])), used, true
	case n >= 4 && vals[0] == 2:
		var c [3]uint8
		for k := range c {
			v := vals[1+k]
			if v < 0 {
				v = 0
			}
			c[k] = uint8(min(v, 255))
		}
		return RGBColor(c[0], c[1], c[2]), used, true
	}
	return 0, used, false
}
