package vt

// tables interns the styles and multi-rune grapheme clusters that cells
// refer to by index. Index 0 of styles is always the default Style.
//
// A Clone shares its tables with the original until either side needs to
// add an entry (copy-on-write, see Screen.tablesShared); lookups of existing
// entries never write, so two screens may read one table concurrently.
// Indexes are only meaningful together with the tables they came from:
// compare cells of two screens through Screen.style/Screen.text (or
// cellEqual), unless both screens hold the very same *tables.
type tables struct {
	styles   []Style
	styleIdx map[Style]uint16
	clusters []string
	clustIdx map[string]int32
}

// Intern table limits. When a table is full the screen collects the
// entries no cell refers to any more (Screen.collectTables). Variables so
// that tests can exercise collection.
var (
	maxStyles   = 1 << 16
	maxClusters = 1 << 16
)

func newTables() *tables {
	return &tables{
		styles:   []Style{{}},
		styleIdx: map[Style]uint16{{}: 0},
		clustIdx: map[string]int32{},
	}
}

func (t *tables) clone() *tables {
	n := &tables{
		styles:   append(make([]Style, 0, len(t.styles)+8), t.styles...),
		styleIdx: make(map[Style]uint16, len(t.styleIdx)+8),
		clusters: append([]string(nil), t.clusters...),
		clustIdx: make(map[string]int32, len(t.clustIdx)),
	}
	for k, v := range t.styleIdx {
		n.styleIdx[k] = v
	}
	for k, v := range t.clustIdx {
		n.clustIdx[k] = v
	}
	return n
}

// ownTables makes s.tab writable by s.
func (s *Screen) ownTables() {
	if s.tablesShared {
		s.tab = s.tab.clone()
		s.tablesShared = false
	}
}

// internStyle returns st's index, adding it when new.
func (s *Screen) internStyle(st Style) uint16 {
	// A small direct-mapped cache in front of the map: hashing a Style
	// (two strings) is most of an SGR's cost in colourful output.
	h := (uint32(st.Fg)*0x9E3779B1 ^ uint32(st.Bg)*0x85EBCA77 ^
		uint32(st.UnderlineColor)*0xC2B2AE3D ^ uint32(st.Attrs)*0x27D4EB2F ^
		uint32(st.Underline)) >> (32 - styleCacheBits)
	if s.styleCache == nil {
		s.styleCache = new([1 << styleCacheBits]styleCacheEntry)
	}
	e := &s.styleCache[h]
	if e.valid && e.st == st {
		return e.idx
	}
	i, ok := s.tab.styleIdx[st]
	if !ok {
		i = s.addStyle(st)
	}
	*e = styleCacheEntry{st: st, idx: i, valid: true}
	return i
}

const styleCacheBits = 5

type styleCacheEntry struct {
	st    Style
	idx   uint16
	valid bool
}

// addStyle adds a new style to the table.
func (s *Screen) addStyle(st Style) uint16 {
	if len(s.tab.styles) >= maxStyles {
		s.collectTables()
		if len(s.tab.styles) >= maxStyles {
			return 0 // every entry is in use: degrade to the default style
		}
	}
	s.ownTables()
	i := uint16(len(s.tab.styles))
	s.tab.styles = append(s.tab.styles, st)
	s.tab.styleIdx[st] = i
	return i
}

// internCluster returns the cell for a multi-rune cluster.
func (s *Screen) internCluster(text []byte) (rune, bool) {
	if i, ok := s.tab.clustIdx[string(text)]; ok {
		return i, true
	}
	if len(s.tab.clusters) >= maxClusters {
		s.collectTables()
		if len(s.tab.clusters) >= maxClusters {
			return 0, false
		}
	}
	s.ownTables()
	i := int32(len(s.tab.clusters))
	t := string(text)
	s.tab.clusters = append(s.tab.clusters, t)
	s.tab.clustIdx[t] = i
	return i, true
}

// style returns the Style a cell refers to.
func (s *Screen) style(c cell) Style { return s.tab.styles[c.style] }

// text returns a cell's grapheme cluster ("" for empty cells and tails).
func (s *Screen) text(c cell) string {
	if c.flags&cellCluster != 0 {
		return s.tab.clusters[c.r]
	}
	if c.r == 0 {
		return ""
	}
	if c.r < 128 {
		return asciiText[c.r]
	}
	return string(c.r)
}

// publicCell converts an internal cell.
func (s *Screen) publicCell(c cell) Cell {
	return Cell{Text: s.text(c), Width: c.width(), Style: s.style(c)}
}

// cellEqual reports whether cell a of screen s looks the same as cell b of
// screen o: same text, width and style.
func cellEqual(s *Screen, a cell, o *Screen, b cell) bool {
	a, b = a.visual(), b.visual()
	if s.tab == o.tab {
		return a == b
	}
	if a.flags != b.flags {
		return false
	}
	if a.flags&cellCluster != 0 {
		if s.tab.clusters[a.r] != o.tab.clusters[b.r] {
			return false
		}
	} else if a.r != b.r {
		return false
	}
	if a.style == 0 && b.style == 0 {
		return true
	}
	return s.tab.styles[a.style] == o.tab.styles[b.style]
}

// collectTables rebuilds the intern tables with only the entries still in
// use (by any cell of either buffer, the scrollback, the pen or a saved
// cursor), rewriting every cell's indexes. It runs only when a table is
// full, so its cost (proportional to all stored cells) is amortised over at
// least maxStyles (or maxClusters) new entries.
func (s *Screen) collectTables() {
	old := s.tab
	nt := newTables()
	styleMap := make(map[uint16]uint16)
	styleMap[0] = 0
	clustMap := make(map[int32]int32)
	mapStyle := func(i uint16) uint16 {
		if j, ok := styleMap[i]; ok {
			return j
		}
		j := uint16(len(nt.styles))
		st := old.styles[i]
		nt.styles = append(nt.styles, st)
		nt.styleIdx[st] = j
		styleMap[i] = j
		return j
	}
	remapCell := func(c *cell) {
		c.style = mapStyle(c.style)
		if c.flags&cellCluster != 0 {
			j, ok := clustMap[c.r]
			if !ok {
				j = int32(len(nt.clusters))
				txt := old.clusters[c.r]
				nt.clusters = append(nt.clusters, txt)
				nt.clustIdx[txt] = j
				clustMap[c.r] = j
			}
			c.r = j
		}
	}
	remapLine := func(l *line) *line {
		l = s.ownLine(l)
		for x := range l.cells {
			remapCell(&l.cells[x])
		}
		return l
	}
	for y := range s.main.rows {
		s.main.rows[y] = remapLine(s.main.rows[y])
	}
	for y := range s.alt.rows {
		s.alt.rows[y] = remapLine(s.alt.rows[y])
	}
	s.remapScrollback(remapCell)
	s.penIdx = mapStyle(s.penIdx)
	s.tab = nt
	s.tablesShared = false
	s.styleCache = nil
}
