package ssp

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// instruction is TransportBuffers.Instruction as plain Go (§4).
type instruction struct {
	protocolVersion uint32
	oldNum          uint64
	newNum          uint64
	ackNum          uint64
	throwawayNum    uint64
	diff            []byte
	chaff           []byte
}

func (a *instruction) equal(b *instruction) bool {
	return a.protocolVersion == b.protocolVersion && a.oldNum == b.oldNum &&
		a.newNum == b.newNum && a.ackNum == b.ackNum && a.throwawayNum == b.throwawayNum &&
		bytes.Equal(a.diff, b.diff) && bytes.Equal(a.chaff, b.chaff)
}

// marshal serialises all seven fields, as mosh does (proto2 presence: an
// empty diff or chaff is still written as a zero-length field), and
// zlib-compresses the result (stream starts 78 9C) with the data block
// itself final, as C zlib does (deflate.go).
func (a *instruction) marshal() []byte { return a.marshalWith(nil) }

// deflater keeps one zlib writer (creating one allocates ~300 KB of
// tables, far more work than compressing a keystroke) and the small
// fixed-Huffman encoder of deflate.go.
type deflater struct {
	w     *zlib.Writer
	buf   bytes.Buffer
	fixed fixedEncoder
	raw   []byte // the encoded instruction, before compression
	out   []byte // the fixed-code stream (reused: see reuse)
	reuse bool   // return d.out and d.buf's bytes, valid until the next call
}

// flateAbove is the instruction size above which compress/flate is tried
// too and the shorter stream kept (a dynamic-Huffman block starts to pay
// from ~100 bytes of terminal text). Up to it the fixed-code block is never
// longer (deflate_test.go checks), and a keystroke's instruction (~40
// bytes) skips flate's ~640 KB table reset.
const flateAbove = 64

// marshalRaw is the protobuf encoding, before compression (wire.go).
func (a *instruction) marshalRaw() []byte { return a.appendRaw(make([]byte, 0, a.sizeRaw())) }

func (a *instruction) marshalWith(d *deflater) []byte {
	if d == nil {
		d = &deflater{}
	}
	d.raw = a.appendRaw(d.raw[:0])
	raw := d.raw
	// Fixed codes take at most 9 bits a byte, plus 2+4 bytes of zlib
	// wrapper and 10 bits of block header and end: one allocation.
	var small []byte
	if d.reuse {
		small = d.fixed.zlibFixed(d.out[:0], raw)
		d.out = small
	} else {
		small = d.fixed.zlibFixed(make([]byte, 0, len(raw)+len(raw)/8+16), raw)
	}
	if len(raw) <= flateAbove {
		return small
	}
	d.buf.Reset()
	if d.w == nil {
		d.w = zlib.NewWriter(&d.buf)
	} else {
		d.w.Reset(&d.buf)
	}
	d.w.Write(raw)
	d.w.Close()
	if d.buf.Len() < len(small) {
		if d.reuse {
			return d.buf.Bytes()
		}
		return bytes.Clone(d.buf.Bytes())
	}
	return small
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

var (
	errInflate = errors.New("ssp: instruction does not decompress")
	errParse   = errors.New("ssp: instruction does not parse")
)

// unmarshalInstruction inflates (at most 4 MiB, mosh's buffer) and parses
// one instruction. Missing fields read as zero.
//
// inflater.unmarshal does the same with the inflater's buffers: its
// instruction, diff and chaff are valid until its next call.
func unmarshalInstruction(z []byte) (*instruction, error) { return (*inflater)(nil).unmarshal(z) }

// inflater keeps one zlib reader and its output buffer.
type inflater struct {
	r     io.ReadCloser
	src   bytes.Reader
	lim   io.LimitedReader
	out   bytes.Buffer
	small []byte      // inflateSmall's output, reused
	inst  instruction // unmarshal's result, reused
}

func (f *inflater) unmarshal(z []byte) (*instruction, error) {
	if f == nil {
		f = &inflater{}
	}
	raw, ok := inflateSmall(f.small[:0], z, maxInstruction)
	if ok {
		if cap(raw) <= 64<<10 {
			f.small = raw // kept for the next one; a full repaint's is not
		}
	} else if raw, ok = f.inflateFlate(z); !ok {
		return nil, errInflate
	}
	if err := f.inst.decode(raw); err != nil {
		return nil, errParse
	}
	return &f.inst, nil
}

// decodePlain is unmarshal for an instruction that came uncompressed,
// from the in-process peer (link.plainFrom); the same size limit holds.
func (f *inflater) decodePlain(raw []byte) (*instruction, error) {
	if len(raw) > maxInstruction {
		return nil, errInflate
	}
	if err := f.inst.decode(raw); err != nil {
		return nil, errParse
	}
	return &f.inst, nil
}

// inflateFlate inflates z with compress/flate: any zlib stream, and the
// verdict on a malformed one.
func (f *inflater) inflateFlate(z []byte) ([]byte, bool) {
	f.src.Reset(z)
	var err error
	if f.r == nil {
		f.r, err = zlib.NewReader(&f.src)
	} else {
		err = f.r.(zlib.Resetter).Reset(&f.src, nil)
	}
	if err != nil {
		f.r = nil
		return nil, false
	}
	f.out.Reset()
	f.lim = io.LimitedReader{R: f.r, N: maxInstruction + 1}
	_, err = f.out.ReadFrom(&f.lim)
	raw := f.out.Bytes()
	if err != nil || len(raw) > maxInstruction {
		return nil, false
	}
	return raw, true
}

// fragment is one slice of a compressed instruction (§3):
//
//	id(8, BE) ‖ final(1 bit) num(15 bits) (2, BE) ‖ contents
type fragment struct {
	id       uint64
	num      uint16
	final    bool
	contents []byte
	// plain: a slice of the uncompressed instruction, in a plain datagram
	// from the in-process peer (not on the wire: the link says so).
	plain bool
}

func (f *fragment) appendTo(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, f.id)
	n := f.num
	if f.final {
		n |= 0x8000
	}
	b = binary.BigEndian.AppendUint16(b, n)
	return append(b, f.contents...)
}

var errFragmentShort = errors.New("ssp: fragment shorter than its header")

func parseFragment(b []byte) (fragment, error) {
	if len(b) < fragHeaderSize {
		return fragment{}, errFragmentShort
	}
	n := binary.BigEndian.Uint16(b[8:])
	return fragment{
		id:       binary.BigEndian.Uint64(b),
		num:      n & maxFragmentNum,
		final:    n&0x8000 != 0,
		contents: b[fragHeaderSize:],
	}, nil
}

// fragmenter numbers instructions and cuts them into fragments. mosh
// asserts that two fragments with the same id and number are identical, so
// the id changes whenever anything in the instruction (or the fragment
// size) changes, and an identical resend reuses the id and produces the
// same bytes.
//
// The fragments it returns, and their contents, are valid until its next
// call: it reuses its buffers, so that sending a frame allocates nothing
// here.
type fragmenter struct {
	nextID    uint64 // id of the last instruction; the first one is 1
	z         deflater
	last      instruction
	lastSize  int
	lastPlain bool
	lastAck   uint64 // ack_num of the last instruction cut
	out       []fragment
}

var errTooManyFragments = errors.New("ssp: instruction needs more than 32768 fragments")

func (f *fragmenter) fragments(inst *instruction, maxContent int) ([]fragment, error) {
	return f.cut(inst, maxContent, false)
}

// cut is fragments of the compressed instruction, or, if plain, of the
// uncompressed one, for plain datagrams to the in-process peer (which
// never crosses a process boundary: compressing it would buy nothing).
// A change from one to the other is a new id, as the bytes differ.
func (f *fragmenter) cut(inst *instruction, maxContent int, plain bool) ([]fragment, error) {
	if !inst.equal(&f.last) || maxContent != f.lastSize || plain != f.lastPlain {
		f.nextID++
	}
	diff, chaff := f.last.diff, f.last.chaff
	f.last = *inst
	f.last.diff = keep(diff, inst.diff)
	f.last.chaff = keep(chaff, inst.chaff)
	f.lastSize = maxContent
	f.lastPlain = plain
	f.lastAck = inst.ackNum

	var z []byte
	if plain {
		f.z.raw = inst.appendRaw(f.z.raw[:0])
		z = f.z.raw
	} else {
		f.z.reuse = true
		z = inst.marshalWith(&f.z)
	}
	n := (len(z) + maxContent - 1) / maxContent
	if n == 0 {
		n = 1
	}
	if n > maxFragmentNum+1 {
		return nil, errTooManyFragments
	}
	out := f.out[:0]
	for i := 0; i < n; i++ {
		end := min((i+1)*maxContent, len(z))
		out = append(out, fragment{id: f.nextID, num: uint16(i), final: i == n-1, contents: z[i*maxContent : end], plain: plain})
	}
	f.out = out
	return out, nil
}

// keep copies b into buf's storage; nil stays nil (proto2 presence is
// compared by equal as bytes only, but keep it exact).
func keep(buf, b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(buf[:0], b...)
}

// reassembly is mosh's single-slot FragmentAssembly: fragments of one
// instruction id are collected until the final one and all before it have
// arrived; a fragment of another id starts over. Two instructions whose
// fragments interleave both fail; the sender's retransmission recovers.
type reassembly struct {
	id       uint64
	plain    bool // the instruction comes uncompressed (fragment.plain)
	active   bool
	done     bool // the current id was delivered; ignore its duplicates
	parts    [][]byte
	have     int
	total    int // 0 until the final fragment arrives
	size     int
	maxIndex int
}

var errFragmentOrder = errors.New("ssp: final fragment precedes a fragment already received")

// add stores f and returns the compressed instruction once complete. An
// instruction in one fragment (every keystroke and echo) is returned as
// f.contents itself, not copied: the caller uses it before it reads the
// next datagram into the same buffer.
func (r *reassembly) add(f fragment) ([]byte, error) {
	if !r.active || f.id != r.id || f.plain != r.plain {
		// A plain fragment never joins a compressed instruction, nor
		// the other way round: they come from different peers.
		*r = reassembly{id: f.id, plain: f.plain, active: true, parts: r.parts[:0]}
		if f.final && f.num == 0 && len(f.contents) <= maxInstruction+64*1024 {
			r.done = true
			return nonNil(f.contents), nil
		}
	}
	if r.done {
		return nil, nil
	}
	i := int(f.num)
	if i < len(r.parts) && r.parts[i] != nil {
		return nil, nil // duplicate: same id and number are the same bytes
	}
	if f.final {
		if i < r.maxIndex {
			*r = reassembly{parts: r.parts[:0]}
			return nil, errFragmentOrder
		}
		r.total = i + 1
	} else if r.total != 0 && i >= r.total {
		*r = reassembly{parts: r.parts[:0]}
		return nil, errFragmentOrder
	}
	if r.size+len(f.contents) > maxInstruction+64*1024 {
		*r = reassembly{parts: r.parts[:0]}
		return nil, fmt.Errorf("ssp: instruction larger than %d bytes", maxInstruction)
	}
	for len(r.parts) <= i {
		r.parts = append(r.parts, nil)
	}
	r.parts[i] = nonNil(bytes.Clone(f.contents))
	r.have++
	r.size += len(f.contents)
	r.maxIndex = max(r.maxIndex, i)
	if r.total == 0 || r.have != r.total {
		return nil, nil
	}
	out := make([]byte, 0, r.size)
	for _, p := range r.parts[:r.total] {
		out = append(out, p...)
	}
	r.done = true
	clear(r.parts)
	return out, nil
}
