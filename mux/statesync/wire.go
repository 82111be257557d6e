package statesync

import (
	"errors"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/goshterm/gosh/ssp/protowalk"
)

// This file encodes and decodes the two diff messages by hand with
// protowire instead of proto.Marshal/Unmarshal: the generated code goes
// through reflection and an extension map for every Instruction, which
// cost a server about a sixth of its CPU per keystroke (issue 3). The
// output is byte-identical to proto.Marshal of the messages in
// internal/statepb (tests compare both on random messages), and decoding
// follows proto.Unmarshal plus GetExtension exactly: unknown fields and
// known fields of the wrong wire type are skipped, a field repeated inside
// one message keeps its last value (sub-messages merge, repeated fields
// accumulate), and malformed wire data is an error.
//
// Field numbers are mosh 1.4's (mosh-protocol.md §5.1–§5.2, and the .proto
// files in internal/statepb) plus gosh's extensions (§5.3).
const (
	// UserMessage.instruction and HostMessage.instruction.
	fieldInstruction protowire.Number = 1

	// Extensions of ClientBuffers.Instruction.
	extKeystroke  protowire.Number = 2
	extUserResize protowire.Number = 3

	// Extensions of HostBuffers.Instruction.
	extHostBytes   protowire.Number = 2
	extHostResize  protowire.Number = 3
	extEchoAck     protowire.Number = 7
	extGoshPane    protowire.Number = 8
	extGoshVersion protowire.Number = 9

	fieldKeys       protowire.Number = 4 // Keystroke.keys
	fieldHoststring protowire.Number = 4 // HostBytes.hoststring
	fieldWidth      protowire.Number = 5 // ResizeMessage.width (both schemas)
	fieldHeight     protowire.Number = 6 // ResizeMessage.height
	fieldEchoAckNum protowire.Number = 8 // EchoAck.echo_ack_num

	// GoshPane.
	fieldPaneX       protowire.Number = 1
	fieldPaneY       protowire.Number = 2
	fieldPaneWidth   protowire.Number = 3
	fieldPaneHeight  protowire.Number = 4
	fieldPaneICANON  protowire.Number = 5
	fieldPaneEcho    protowire.Number = 6
	fieldPaneProgram protowire.Number = 7

	// GoshVersion.
	fieldVersionProtocol protowire.Number = 1
	fieldVersionFeatures protowire.Number = 2
)

// errWire reports bytes that are not protobuf wire format. Apply always
// wraps it in errHostMessage or errUserMessage, which carry the prefix.
var errWire = errors.New("cannot parse invalid wire-format data")

// --- encoding ---

// sizeInt32 is the size of an int32 field's value: negative numbers are
// sign-extended to ten bytes, as protobuf encodes int32.
func sizeInt32(v int32) int { return protowire.SizeVarint(uint64(int64(v))) }

// sizeField is the size of one field with a one-byte tag (all field
// numbers here are below 16) holding a length-delimited body of n bytes.
func sizeField(n int) int { return 1 + protowire.SizeBytes(n) }

// sizeInstruction is the size of an Instruction holding one extension
// whose message body is n bytes, as an element of the instruction field.
func sizeInstruction(n int) int { return sizeField(sizeField(n)) }

// appendInstruction appends the headers of an Instruction element holding
// extension ext with an n-byte body; the caller appends the body.
func appendInstruction(b []byte, ext protowire.Number, n int) []byte {
	b = protowire.AppendTag(b, fieldInstruction, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(sizeField(n)))
	b = protowire.AppendTag(b, ext, protowire.BytesType)
	return protowire.AppendVarint(b, uint64(n))
}

func appendInt32(b []byte, num protowire.Number, v int32) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(int64(v)))
}

func appendUint64(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBool(b []byte, num protowire.Number, v bool) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, protowire.EncodeBool(v))
}

func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendString(b []byte, num protowire.Number, v string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, v)
}

// sizeResize is the body size of a ResizeMessage (same in both schemas).
func sizeResize(w, h int32) int { return 2 + sizeInt32(w) + sizeInt32(h) }

func appendResize(b []byte, w, h int32) []byte {
	return appendInt32(appendInt32(b, fieldWidth, w), fieldHeight, h)
}

func sizePane(p *Pane) int {
	return 4 + sizeInt32(int32(p.X)) + sizeInt32(int32(p.Y)) +
		sizeInt32(int32(p.Width)) + sizeInt32(int32(p.Height)) +
		2*2 + sizeField(len(p.Program))
}

func appendPane(b []byte, p *Pane) []byte {
	b = appendInt32(b, fieldPaneX, int32(p.X))
	b = appendInt32(b, fieldPaneY, int32(p.Y))
	b = appendInt32(b, fieldPaneWidth, int32(p.Width))
	b = appendInt32(b, fieldPaneHeight, int32(p.Height))
	b = appendBool(b, fieldPaneICANON, p.ICANON)
	b = appendBool(b, fieldPaneEcho, p.Echo)
	return appendString(b, fieldPaneProgram, p.Program)
}

func sizeVersion(protocol uint32, features []string) int {
	n := 1 + protowire.SizeVarint(uint64(protocol))
	for _, s := range features {
		n += sizeField(len(s))
	}
	return n
}

func appendVersion(b []byte, protocol uint32, features []string) []byte {
	b = appendUint64(b, fieldVersionProtocol, uint64(protocol))
	for _, s := range features {
		b = appendString(b, fieldVersionFeatures, s)
	}
	return b
}

// --- decoding ---

// walkMessage is protowalk.Fields with this package's error for bytes
// that are not wire format.
func walkMessage(m []byte, field func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	if err := protowalk.Fields(m, field); err != protowalk.ErrMalformed {
		return err
	}
	return errWire
}

// walkInstructions calls instruction with the body of each element of the
// instruction field of a UserMessage or HostMessage, in order.
func walkInstructions(m []byte, instruction func(b []byte) error) error {
	return walkMessage(m, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
		if num == fieldInstruction && typ == protowire.BytesType {
			return instruction(b)
		}
		return nil
	})
}

// decodeResize merges a ResizeMessage body into w and h.
func decodeResize(m []byte, w, h *int32) error {
	return walkMessage(m, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) error {
		switch {
		case typ != protowire.VarintType:
		case num == fieldWidth:
			*w = int32(v)
		case num == fieldHeight:
			*h = int32(v)
		}
		return nil
	})
}

// Bits of userInstruction.has and hostInstruction.has: which extensions
// an Instruction carried.
const (
	hasKeystroke = 1 << iota
	hasUserResize
)

const (
	hasHostBytes = 1 << iota
	hasHostResize
	hasEchoAck
	hasGoshPane
	hasGoshVersion
)

// userInstruction is a decoded ClientBuffers.Instruction.
type userInstruction struct {
	has  uint8
	keys []byte // aliases the diff
	w, h int32
}

func decodeUserInstruction(m []byte) (userInstruction, error) {
	var in userInstruction
	err := walkMessage(m, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case extKeystroke:
			in.has |= hasKeystroke
			return walkMessage(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
				if num == fieldKeys && typ == protowire.BytesType {
					in.keys = b
				}
				return nil
			})
		case extUserResize:
			in.has |= hasUserResize
			return decodeResize(b, &in.w, &in.h)
		}
		return nil
	})
	return in, err
}

// hostInstruction is a decoded HostBuffers.Instruction.
type hostInstruction struct {
	has       uint8
	hostBytes []byte // aliases the diff
	w, h      int32
	echoAck   uint64
	pane      struct {
		x, y, w, h   int32
		icanon, echo bool
		program      []byte // aliases the diff
	}
	protocol uint32
	features [][]byte // alias the diff
}

func decodeHostInstruction(m []byte) (hostInstruction, error) {
	var in hostInstruction
	err := walkMessage(m, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case extHostBytes:
			in.has |= hasHostBytes
			return walkMessage(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
				if num == fieldHoststring && typ == protowire.BytesType {
					in.hostBytes = b
				}
				return nil
			})
		case extHostResize:
			in.has |= hasHostResize
			return decodeResize(b, &in.w, &in.h)
		case extEchoAck:
			in.has |= hasEchoAck
			return walkMessage(b, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) error {
				if num == fieldEchoAckNum && typ == protowire.VarintType {
					in.echoAck = v
				}
				return nil
			})
		case extGoshPane:
			in.has |= hasGoshPane
			return walkMessage(b, in.paneField)
		case extGoshVersion:
			in.has |= hasGoshVersion
			return walkMessage(b, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
				switch {
				case num == fieldVersionProtocol && typ == protowire.VarintType:
					in.protocol = uint32(v)
				case num == fieldVersionFeatures && typ == protowire.BytesType:
					in.features = append(in.features, b)
				}
				return nil
			})
		}
		return nil
	})
	return in, err
}

func (in *hostInstruction) paneField(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
	p := &in.pane
	if typ == protowire.BytesType {
		if num == fieldPaneProgram {
			p.program = b
		}
		return nil
	}
	switch num {
	case fieldPaneX:
		p.x = int32(v)
	case fieldPaneY:
		p.y = int32(v)
	case fieldPaneWidth:
		p.w = int32(v)
	case fieldPaneHeight:
		p.h = int32(v)
	case fieldPaneICANON:
		p.icanon = protowire.DecodeBool(v)
	case fieldPaneEcho:
		p.echo = protowire.DecodeBool(v)
	}
	return nil
}
