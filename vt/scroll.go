package vt

import (
	"encoding/binary"
	"slices"
	"unsafe"
)

// The scrollback
//
// Lines that scroll off the top of the main buffer are stored compactly,
// not as rows: a ~100-column pane of `seq` output would otherwise keep
// 100 × 8 B of cells (plus a line header) for every 1–5 used cells. When a
// row leaves the screen it is encoded into a record, and the row itself
// goes back to the screen as the next blank row (so the Write path
// allocates nothing once the storage is warm).
//
//	scrollback
//	 ├─ idx     ring of record positions, one per line, oldest at head:
//	 │          chunk sequence number << sbOffBits | byte offset
//	 ├─ chunks  byte blocks holding the records, oldest first
//	 │          (chunks[0] has sequence number first)
//	 └─ spare   up to sbSpares emptied chunks kept for the next new chunks
//
// A record is a tag byte (recWrapped, kind), the uvarint width the row
// had, the uvarint count n of stored cells, and the cells [0, n): the
// trailing cells that are exactly cell{} (never written, or erased with
// the default style) are dropped and come back as cell{} when the line
// is read, so nothing a caller or a reflow sees changes. A coloured blank
// or a protected blank is not cell{} and is kept. The cells are stored as
//
//	recPlain  n bytes of ASCII (0 = empty cell), all in the default style:
//	          `seq` output, most shell output — 1 byte per cell;
//	recASCII  n bytes of ASCII, then uvarint nruns and nruns × (uvarint
//	          style, uvarint length): coloured ASCII (ls --color);
//	recCells  any cells: per cell a byte of flags (low 4 bits) with
//	          recNewStyle set when the style differs from the previous
//	          cell's (then a uvarint style follows), then the uvarint code
//	          point or cluster index (wide characters, clusters, DECSCA).
//
// Copy-on-write with Clone: the idx ring and the chunk list are shared
// until either screen changes them (sbShared, as for rows). Written bytes
// of a chunk are never changed, so both screens read shared chunks freely.
// Only one of them may append to the last chunk: the original keeps that
// right (tailMine), a clone starts a new chunk for its first line, so
// neither ever writes bytes the other can reach. A chunk emptied at the
// head is reused (as spare) only when its owner is the screen's current
// id: Clone renews both ids, so a chunk a clone may still read is never
// reused.
type scrollback struct {
	idx      []uint64 // ring, len(idx) lines; full when len(idx) == sbLimit
	head     int
	chunks   []*sbChunk
	first    uint64     // sequence number of chunks[0]
	tail     int        // bytes of the last chunk holding this screen's records
	tailMine bool       // this screen may append to the last chunk
	spare    []*sbChunk // emptied chunks of sbChunkMax bytes, at most sbSpares
	enc      []byte     // scratch for encoding one record
}

// sbChunk is a block of records.
type sbChunk struct {
	buf   []byte // fixed size; records are appended, never rewritten
	owner uint64 // id of the screen that may reuse the chunk once it is emptied
}

// Chunk sizes: the first chunk is small so that a screen with a few lines
// of scrollback stays small; each next one doubles up to sbChunkMax. A
// record larger than that gets a chunk of its own size.
const (
	sbChunkMin = 512
	sbChunkMax = 16 << 10
	sbOffBits  = 24 // a record's offset in its chunk; records are < 64 KiB
	// Emptied chunks kept: lines of varying sizes make the number of
	// chunks 10,000 lines span go up and down by more than one.
	sbSpares = 2
)

// maxRecordLen bounds the record of a row of width cells: tag, two
// uvarints of at most 3 bytes (width ≤ MaxSize), and per cell at most a
// flags byte, a 3-byte style and a 5-byte code point.
func maxRecordLen(width int) int { return 7 + 9*width }

// Record tags.
const (
	recWrapped  = 1 << 0 // the line soft-wraps into the next one
	recKindMask = 3 << 1
	recPlain    = 0 << 1
	recASCII    = 1 << 1
	recCells    = 2 << 1

	recNewStyle = 1 << 4 // in recCells: a style follows the flags byte
)

// len returns the number of lines stored.
func (sb *scrollback) len() int { return len(sb.idx) }

// record returns the bytes of line i (0 = oldest), starting with its
// record, or nil.
func (sb *scrollback) record(i int) []byte {
	if i < 0 || i >= len(sb.idx) {
		return nil
	}
	pos := sb.idx[(sb.head+i)%len(sb.idx)]
	c := sb.chunks[pos>>sbOffBits-sb.first]
	return c.buf[pos&(1<<sbOffBits-1):]
}

// ownScrollback makes s.sb's ring and chunk list writable by s.
func (s *Screen) ownScrollback() {
	if s.sbShared {
		s.sb.idx = append([]uint64(nil), s.sb.idx...)
		s.sb.chunks = append([]*sbChunk(nil), s.sb.chunks...)
		s.sbShared = false
	}
}

// pushScrollback stores row l as the newest scrollback line, dropping the
// oldest when full. l itself is not kept: the caller reuses it.
func (s *Screen) pushScrollback(l *line) {
	if s.sbLimit <= 0 {
		return
	}
	s.ownScrollback()
	sb := &s.sb
	var pos uint64
	if n := len(sb.chunks); n > 0 && sb.tailMine && len(sb.chunks[n-1].buf)-sb.tail >= maxRecordLen(len(l.cells)) {
		// Room for any encoding: encode straight into the chunk.
		c := sb.chunks[n-1]
		rec := encodeLine(c.buf[sb.tail:sb.tail], l.cells, len(l.cells), l.wrapped)
		pos = (sb.first+uint64(n-1))<<sbOffBits | uint64(sb.tail)
		sb.tail += len(rec)
	} else {
		sb.enc = encodeLine(sb.enc[:0], l.cells, len(l.cells), l.wrapped)
		pos = sb.store(sb.enc, s.id)
	}
	if len(sb.idx) < s.sbLimit {
		if sb.head != 0 {
			// The limit was raised after the ring wrapped: unroll it.
			idx := make([]uint64, 0, s.sbLimit)
			idx = append(idx, sb.idx[sb.head:]...)
			sb.idx = append(idx, sb.idx[:sb.head]...)
			sb.head = 0
		}
		if len(sb.idx) == cap(sb.idx) {
			// Grow by doubling up to the limit, not past it as append
			// would: the ring never holds more than the limit.
			idx := make([]uint64, len(sb.idx), min(max(2*cap(sb.idx), 64), s.sbLimit))
			copy(idx, sb.idx)
			sb.idx = idx
		}
		sb.idx = append(sb.idx, pos)
		return
	}
	sb.idx[sb.head] = pos
	if sb.head++; sb.head == len(sb.idx) {
		sb.head = 0
	}
	if sb.idx[sb.head]>>sbOffBits != sb.first {
		sb.release(s.id)
	}
}

// store appends a record and returns its position.
func (sb *scrollback) store(rec []byte, id uint64) uint64 {
	if n := len(sb.chunks); n > 0 && sb.tailMine && sb.tail+len(rec) <= len(sb.chunks[n-1].buf) {
		off := sb.tail
		copy(sb.chunks[n-1].buf[off:], rec)
		sb.tail += len(rec)
		return (sb.first+uint64(n-1))<<sbOffBits | uint64(off)
	}
	size := sbChunkMin
	if n := len(sb.chunks); n > 0 {
		size = min(2*len(sb.chunks[n-1].buf), sbChunkMax)
	}
	size = max(size, len(rec))
	var c *sbChunk
	if k := len(sb.spare); k > 0 && size <= len(sb.spare[k-1].buf) {
		c = sb.spare[k-1]
		sb.spare[k-1] = nil
		sb.spare = sb.spare[:k-1]
		c.owner = id
	} else {
		c = &sbChunk{buf: make([]byte, size), owner: id}
	}
	if len(sb.chunks) == 0 {
		sb.first = 0
	}
	sb.chunks = append(sb.chunks, c)
	copy(c.buf, rec)
	sb.tail = len(rec)
	sb.tailMine = true
	return (sb.first + uint64(len(sb.chunks)-1)) << sbOffBits
}

// release drops the chunks before the oldest line's, keeping them as
// spares when no clone can read them.
func (sb *scrollback) release(id uint64) {
	oldest := sb.idx[sb.head] >> sbOffBits
	k := int(oldest - sb.first)
	if k <= 0 {
		return
	}
	for _, c := range sb.chunks[:k] {
		if len(sb.spare) < sbSpares && c.owner == id && len(c.buf) == sbChunkMax {
			if sb.spare == nil {
				sb.spare = make([]*sbChunk, 0, sbSpares)
			}
			sb.spare = append(sb.spare, c)
		}
	}
	n := copy(sb.chunks, sb.chunks[k:])
	clear(sb.chunks[n:])
	sb.chunks = sb.chunks[:n]
	sb.first = oldest
}

// scrollbackLines returns the scrollback, oldest first, as new lines
// owned by s. A line's cells stop at its last stored cell (the trailing
// cell{} cells are not restored): reflow trims them anyway.
func (s *Screen) scrollbackLines() []*line {
	out := make([]*line, s.sb.len())
	for i := range out {
		cells, _, wrapped := decodeLine(s.sb.record(i), nil)
		out[i] = &line{cells: cells, wrapped: wrapped, owner: s.id}
	}
	return out
}

// setScrollback replaces the scrollback with lines (oldest first), keeping
// the newest sbLimit of them.
func (s *Screen) setScrollback(lines []*line) {
	if len(lines) > s.sbLimit {
		lines = lines[len(lines)-s.sbLimit:]
	}
	spare := s.sb.spare
	enc := s.sb.enc
	s.sb = scrollback{spare: spare}
	s.sbShared = false
	if len(lines) > 0 {
		s.sb.idx = make([]uint64, 0, len(lines))
	}
	for _, l := range lines {
		enc = encodeLine(enc[:0], l.cells, len(l.cells), l.wrapped)
		s.sb.idx = append(s.sb.idx, s.sb.store(enc, s.id))
	}
	s.sb.enc = enc
}

// trimScrollback drops the oldest lines beyond the limit.
func (s *Screen) trimScrollback() {
	n := s.sb.len()
	if n <= s.sbLimit {
		return
	}
	if s.sbLimit == 0 {
		s.setScrollback(nil)
		return
	}
	s.ownScrollback()
	idx := make([]uint64, s.sbLimit)
	for i := range idx {
		idx[i] = s.sb.idx[(s.sb.head+n-s.sbLimit+i)%n]
	}
	s.sb.idx, s.sb.head = idx, 0
	s.sb.release(s.id)
}

// remapScrollback rewrites every stored cell through remap (the intern
// tables' collection, see collectTables).
func (s *Screen) remapScrollback(remap func(*cell)) {
	n := s.sb.len()
	if n == 0 {
		return
	}
	old := s.sb
	s.sb = scrollback{spare: old.spare, enc: old.enc, idx: make([]uint64, 0, n)}
	s.sbShared = false
	var cells []cell
	for i := range n {
		var width int
		var wrapped bool
		cells, width, wrapped = decodeLine(old.record(i), cells[:0])
		for x := range cells {
			remap(&cells[x])
		}
		s.sb.enc = encodeLine(s.sb.enc[:0], cells, width, wrapped)
		s.sb.idx = append(s.sb.idx, s.sb.store(s.sb.enc, s.id))
	}
}

// encodeLine appends to b the record of a line of width cells whose
// first len(cells) cells are cells (the rest cell{}).
func encodeLine(b []byte, cells []cell, width int, wrapped bool) []byte {
	n := storedLen(cells)
	cells = cells[:n]
	var tag byte
	if wrapped {
		tag = recWrapped
	}
	start := len(b)
	b = append(b, tag|recPlain)
	b = binary.AppendUvarint(b, uint64(width))
	b = binary.AppendUvarint(b, uint64(n))
	txt := len(b)
	b = slices.Grow(b, n)[:txt+n] // no need to clear: asciiBytes writes every byte
	sum := asciiBytes(b[txt:], cells)
	switch {
	case sum&(wordR&^0x7f|wordFlags) != 0:
		return encodeCells(b[:txt], start, cells)
	case sum&wordStyle == 0:
		return b
	}
	b[start] = tag | recASCII
	runs := 0
	for i := range cells {
		if i == 0 || cells[i].style != cells[i-1].style {
			runs++
		}
	}
	b = binary.AppendUvarint(b, uint64(runs))
	for i := 0; i < n; {
		j := i + 1
		for j < n && cells[j].style == cells[i].style {
			j++
		}
		b = binary.AppendUvarint(b, uint64(cells[i].style))
		b = binary.AppendUvarint(b, uint64(j-i))
		i = j
	}
	return b
}

// Encoding a row is on the Write path of every line that scrolls off, so
// the two loops over its cells read each 8-byte cell as one word where
// the machine is little-endian: r in bits 0–31, style in 32–47, flags in
// 48–55, the padding byte in 56–63 (checked at compile time below).
const (
	wordR     = 0xffffffff
	wordStyle = 0xffff << 32
	wordFlags = 0xff << 48
)

var (
	_ = [1]struct{}{}[unsafe.Sizeof(cell{})-8]
	_ = [1]struct{}{}[unsafe.Offsetof(cell{}.style)-4]
	_ = [1]struct{}{}[unsafe.Offsetof(cell{}.flags)-6]
)

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// cellWords returns cells as words, or nil on a big-endian machine.
func cellWords(cells []cell) []uint64 {
	if !littleEndian || len(cells) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(cells))), len(cells))
}

// storedLen returns len(cells) without the trailing cell{} cells.
func storedLen(cells []cell) int {
	if w := cellWords(cells); w != nil {
		n := len(w)
		for n > 0 && w[n-1]&^(0xff<<56) == 0 {
			n--
		}
		return n
	}
	n := len(cells)
	for n > 0 && cells[n-1] == (cell{}) {
		n--
	}
	return n
}

// asciiBytes stores the low byte of each cell's code point in t (as long
// as cells) and returns the OR of all cells as words: the text is ASCII
// when no bit of wordR above 0x7f or of wordFlags is set.
func asciiBytes(t []byte, cells []cell) uint64 {
	t = t[:len(cells)]
	var sum uint64
	if w := cellWords(cells); w != nil {
		t := t[:len(w)]
		for i, c := range w {
			sum |= c
			t[i] = byte(c)
		}
		return sum
	}
	for i, c := range cells {
		sum |= uint64(uint32(c.r)) | uint64(c.style)<<32 | uint64(c.flags)<<48
		t[i] = byte(c.r)
	}
	return sum
}

// encodeCells appends the recCells body of cells to b, whose record
// header starts at b[hdr], and marks the header's kind.
func encodeCells(b []byte, hdr int, cells []cell) []byte {
	b[hdr] = b[hdr]&^recKindMask | recCells
	var style uint16
	for _, c := range cells {
		if c.style != style {
			b = append(b, c.flags|recNewStyle)
			b = binary.AppendUvarint(b, uint64(c.style))
			style = c.style
		} else {
			b = append(b, c.flags)
		}
		b = binary.AppendUvarint(b, uint64(uint32(c.r)))
	}
	return b
}

// decodeLine appends the stored cells of a record to dst and returns them
// with the line's width and wrap flag. Cells [len, width) are cell{}.
func decodeLine(rec []byte, dst []cell) (cells []cell, width int, wrapped bool) {
	tag := rec[0]
	w, k := binary.Uvarint(rec[1:])
	p := 1 + k
	n, k := binary.Uvarint(rec[p:])
	p += k
	wrapped = tag&recWrapped != 0
	start := len(dst)
	dst = append(dst, make([]cell, n)...)
	out := dst[start:]
	switch tag & recKindMask {
	case recPlain:
		for i, ch := range rec[p : p+int(n)] {
			out[i] = cell{r: rune(ch)}
		}
	case recASCII:
		for i, ch := range rec[p : p+int(n)] {
			out[i] = cell{r: rune(ch)}
		}
		p += int(n)
		runs, k := binary.Uvarint(rec[p:])
		p += k
		x := 0
		for range runs {
			st, k := binary.Uvarint(rec[p:])
			p += k
			l, k := binary.Uvarint(rec[p:])
			p += k
			for i := range int(l) {
				out[x+i].style = uint16(st)
			}
			x += int(l)
		}
	case recCells:
		var style uint16
		for i := range out {
			f := rec[p]
			p++
			if f&recNewStyle != 0 {
				st, k := binary.Uvarint(rec[p:])
				p += k
				style = uint16(st)
			}
			r, k := binary.Uvarint(rec[p:])
			p += k
			out[i] = cell{r: rune(uint32(r)), style: style, flags: f &^ recNewStyle}
		}
	}
	return dst, int(w), wrapped
}

// recordWrapped reports a record's wrap flag.
func recordWrapped(rec []byte) bool { return rec[0]&recWrapped != 0 }
