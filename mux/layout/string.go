package layout

import (
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting Parse accepts: each level needs at least 3
// cells, so no real window nests deeper than MaxSize/3, and tmux's own
// layouts stay far below this.
const maxDepth = 200

// String returns the layout in tmux's window_layout format (what
// list-windows and #{window_layout} print, and select-layout accepts):
// a checksum, then "WxH,X,Y" per cell followed by ",ID" for a pane, "{…}"
// for a horizontal split or "[…]" for a vertical one. A zoomed window
// prints its whole layout.
func (t *Tree) String() string {
	var b strings.Builder
	writeCell(&b, t.root)
	s := b.String()
	return fmt.Sprintf("%04x,%s", checksum(s), s)
}

func writeCell(b *strings.Builder, n *node) {
	fmt.Fprintf(b, "%dx%d,%d,%d", n.w, n.h, n.x, n.y)
	switch n.kind {
	case leaf:
		fmt.Fprintf(b, ",%d", n.pane)
		return
	case hsplit:
		b.WriteByte('{')
	case vsplit:
		b.WriteByte('[')
	}
	for i, c := range n.children {
		if i > 0 {
			b.WriteByte(',')
		}
		writeCell(b, c)
	}
	if n.kind == hsplit {
		b.WriteByte('}')
	} else {
		b.WriteByte(']')
	}
}

// checksum is tmux's layout_checksum: a 16-bit rotate-right-and-add.
func checksum(s string) uint16 {
	var c uint16
	for i := 0; i < len(s); i++ {
		c = (c >> 1) + ((c & 1) << 15)
		c += uint16(s[i])
	}
	return c
}

// Parse reads a tmux layout string into a Tree whose window is the
// layout's size. The checksum must match, every cell must be consistent
// with its parent (sizes add up with one-cell borders, offsets follow), and
// pane IDs must be distinct. Splits of a single child, which tmux never
// writes, are refused.
func Parse(s string) (*Tree, error) {
	sum, body, ok := strings.Cut(s, ",")
	if !ok || len(sum) != 4 {
		return nil, fmt.Errorf("layout: bad layout %q: no checksum", s)
	}
	want, err := strconv.ParseUint(sum, 16, 16)
	if err != nil || uint16(want) != checksum(body) {
		return nil, fmt.Errorf("layout: bad layout %q: checksum mismatch", s)
	}
	p := &parser{s: body, t: &Tree{panes: map[PaneID]*node{}}}
	root, err := p.cell(nil, 0)
	if err == nil && p.i != len(p.s) {
		err = p.errorf("trailing text")
	}
	if err == nil && (root.x != 0 || root.y != 0) {
		err = fmt.Errorf("layout: bad layout %q: root not at 0,0", s)
	}
	if err == nil {
		err = check(root)
	}
	if err != nil {
		return nil, err
	}
	p.t.root = root
	p.t.w, p.t.h = root.w, root.h
	return p.t, nil
}

type parser struct {
	s string
	i int
	t *Tree
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("layout: bad layout at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *parser) number() (int, error) {
	j := p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	if err != nil || n > MaxSize*MaxSize || n < -MaxSize*MaxSize {
		return 0, p.errorf("want a number")
	}
	p.i = j
	return n, nil
}

func (p *parser) expect(c byte) error {
	if p.i >= len(p.s) || p.s[p.i] != c {
		return p.errorf("want %q", c)
	}
	p.i++
	return nil
}

func (p *parser) cell(parent *node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	n := &node{parent: parent}
	var err error
	for i, f := range []*int{&n.w, &n.h, &n.x, &n.y} {
		if i > 0 {
			sep := byte(',')
			if i == 1 {
				sep = 'x'
			}
			if err = p.expect(sep); err != nil {
				return nil, err
			}
		}
		if *f, err = p.number(); err != nil {
			return nil, err
		}
	}
	if n.w < 1 || n.h < 1 || n.w > MaxSize || n.h > MaxSize || n.x < 0 || n.y < 0 {
		return nil, p.errorf("bad cell size %dx%d,%d,%d", n.w, n.h, n.x, n.y)
	}
	if p.i >= len(p.s) {
		return nil, p.errorf("cell without pane or children")
	}
	var end byte
	switch p.s[p.i] {
	case ',':
		p.i++
		id, err := p.number()
		if err != nil {
			return nil, err
		}
		n.kind, n.pane = leaf, PaneID(id)
		if p.t.panes[n.pane] != nil {
			return nil, p.errorf("pane %d appears twice", id)
		}
		p.t.panes[n.pane] = n
		return n, nil
	case '{':
		n.kind, end = hsplit, '}'
	case '[':
		n.kind, end = vsplit, ']'
	default:
		return nil, p.errorf("want ',', '{' or '['")
	}
	p.i++
	for {
		c, err := p.cell(n, depth+1)
		if err != nil {
			return nil, err
		}
		n.children = append(n.children, c)
		if p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return n, nil
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
	}
}

// check verifies that n's children tile it exactly, as tmux's layout_check
// does, recursively.
func check(n *node) error {
	if n.kind == leaf {
		return nil
	}
	if len(n.children) < 2 {
		return fmt.Errorf("layout: bad layout: split at %d,%d has one child", n.x, n.y)
	}
	x, y := n.x, n.y
	for _, c := range n.children {
		ok := c.x == x && c.y == y
		if n.kind == hsplit {
			ok = ok && c.h == n.h
			x += c.w + 1
		} else {
			ok = ok && c.w == n.w
			y += c.h + 1
		}
		if !ok {
			return fmt.Errorf("layout: bad layout: cell %dx%d,%d,%d does not fit its parent", c.w, c.h, c.x, c.y)
		}
		if err := check(c); err != nil {
			return err
		}
	}
	if (n.kind == hsplit && x-1 != n.x+n.w) || (n.kind == vsplit && y-1 != n.y+n.h) {
		return fmt.Errorf("layout: bad layout: children of %dx%d,%d,%d do not fill it", n.w, n.h, n.x, n.y)
	}
	return nil
}
