package main

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/ocb"
	"google.golang.org/protobuf/encoding/protowire"
)

// anatomy is what one endpoint's datagrams carried, decoded with the
// session key (the benchmark knows it from MOSH CONNECT): how many
// transport instructions, how many distinct states, how many were resent,
// how large the diffs were before and after zlib. It explains the byte
// counts (frame rate, diff size, retransmissions, per-datagram overhead).
type anatomy struct {
	Datagrams   uint64
	Undecodable uint64 // failed authentication or parsing
	Instr       uint64 // complete instructions (all fragments seen)
	Data        uint64 // instructions carrying a non-empty diff
	Resent      uint64 // data instructions whose old→new was sent before
	States      uint64 // distinct new_num values sent with a diff
	DiffBytes   uint64 // uncompressed diff bytes, all data instructions
	ZlibBytes   uint64 // compressed instruction bytes (fragment contents)
}

func (a anatomy) sub(b anatomy) anatomy {
	return anatomy{a.Datagrams - b.Datagrams, a.Undecodable - b.Undecodable, a.Instr - b.Instr, a.Data - b.Data,
		a.Resent - b.Resent, a.States - b.States, a.DiffBytes - b.DiffBytes, a.ZlibBytes - b.ZlibBytes}
}

func (a anatomy) String() string {
	return fmt.Sprintf("%d instr (%d with diff, %d resent, %d states), diff %d B raw / %d B zlib",
		a.Instr, a.Data, a.Resent, a.States, a.DiffBytes, a.ZlibBytes)
}

// decoder decodes one direction of a session (mosh-protocol.md §2–§4):
//
//	datagram    = nonce(8) ‖ AES-128-OCB3(ts(2) ‖ ts_reply(2) ‖ fragment) ‖ tag(16)
//	fragment    = instruction id(8) ‖ final bit + fragment number(2) ‖ contents
//	instruction = zlib(protobuf TransportBuffers.Instruction), fields
//	              2 old_num, 3 new_num, 6 diff
//
// It is written here rather than borrowed from ssp because ssp keeps its
// codec unexported; it only reads, and a datagram it cannot read is
// counted, never fatal.
type decoder struct {
	mu    sync.Mutex
	aead  cipher.AEAD
	nonce [12]byte
	parts map[uint64][][]byte // instruction id → fragments so far
	final map[uint64]int      // instruction id → number of fragments, once the final one is seen
	pairs map[[2]uint64]bool  // old→new already sent
	nums  map[uint64]bool     // new_num already sent with a diff
	a     anatomy

	trace *tracer // if not nil, every datagram and instruction is logged
	tap   string  // where this decoder listens, for the trace
}

// tracer writes one timestamped line per event to a file; nil discards.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
	t0 time.Time
}

func (t *tracer) printf(format string, args ...any) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "%9.1f ", float64(time.Since(t.t0).Microseconds())/1000)
	fmt.Fprintf(t.w, format, args...)
	fmt.Fprintln(t.w)
}

func newDecoder(key string) (*decoder, error) {
	k, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(key, "="))
	if err != nil || len(k) != 16 {
		return nil, fmt.Errorf("decode: bad key")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := ocb.NewOCBWithNonceAndTagSize(block, 12, 16)
	if err != nil {
		return nil, err
	}
	return &decoder{aead: aead, parts: map[uint64][][]byte{}, final: map[uint64]int{},
		pairs: map[[2]uint64]bool{}, nums: map[uint64]bool{}}, nil
}

func (d *decoder) snap() anatomy {
	if d == nil {
		return anatomy{}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.a
}

func (d *decoder) datagram(b []byte) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.a.Datagrams++
	if len(b) < 8+16+4+10 {
		d.a.Undecodable++
		return
	}
	copy(d.nonce[4:], b[:8])
	pt, err := d.aead.Open(nil, d.nonce[:], b[8:], nil)
	if err != nil || len(pt) < 4+10 {
		d.a.Undecodable++
		d.trace.printf("%-10s undecodable %d bytes", d.tap, len(b))
		return
	}
	frag := pt[4:]
	id := binary.BigEndian.Uint64(frag)
	n := binary.BigEndian.Uint16(frag[8:])
	num, last := int(n&0x7fff), n&0x8000 != 0
	contents := frag[10:]
	d.trace.printf("%-10s seq %d id %x frag %d%s %d bytes", d.tap,
		binary.BigEndian.Uint64(b[:8])&^(1<<63), id, num, map[bool]string{true: " final"}[last], len(b))
	ps := d.parts[id]
	for len(ps) <= num {
		ps = append(ps, nil)
	}
	if ps[num] == nil {
		ps[num] = append([]byte{}, contents...)
	}
	d.parts[id] = ps
	if last {
		d.final[id] = num + 1
	}
	total, ok := d.final[id]
	if !ok || len(ps) < total {
		return
	}
	var whole []byte
	for _, p := range ps[:total] {
		if p == nil {
			return // a fragment is still missing (a resend may bring it)
		}
		whole = append(whole, p...)
	}
	delete(d.parts, id)
	delete(d.final, id)
	d.instruction(whole)
	if len(d.parts) > 1000 { // bounded: forget stale partial instructions
		clear(d.parts)
		clear(d.final)
	}
}

func (d *decoder) instruction(z []byte) {
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		d.a.Undecodable++
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		d.a.Undecodable++
		return
	}
	d.a.Instr++
	d.a.ZlibBytes += uint64(len(z))
	var oldNum, newNum, ackNum, throwNum uint64
	var diff []byte
	for len(raw) > 0 {
		f, t, n := protowire.ConsumeTag(raw)
		if n < 0 {
			d.a.Undecodable++
			return
		}
		raw = raw[n:]
		switch {
		case t == protowire.VarintType:
			v, m := protowire.ConsumeVarint(raw)
			if m < 0 {
				d.a.Undecodable++
				return
			}
			switch f {
			case 2:
				oldNum = v
			case 3:
				newNum = v
			case 4:
				ackNum = v
			case 5:
				throwNum = v
			}
			raw = raw[m:]
		default:
			m := protowire.ConsumeFieldValue(f, t, raw)
			if m < 0 {
				d.a.Undecodable++
				return
			}
			if f == 6 && t == protowire.BytesType {
				diff, _ = protowire.ConsumeBytes(raw)
			}
			raw = raw[m:]
		}
	}
	d.trace.printf("%-10s   instruction old %d new %d ack %d throwaway %d diff %d", d.tap, oldNum, newNum, ackNum, throwNum, len(diff))
	if len(diff) == 0 {
		return
	}
	d.a.Data++
	d.a.DiffBytes += uint64(len(diff))
	k := [2]uint64{oldNum, newNum}
	if d.pairs[k] {
		d.a.Resent++
	}
	d.pairs[k] = true
	if !d.nums[newNum] {
		d.nums[newNum] = true
		d.a.States++
	}
}
