package ssp

import (
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/goshterm/gosh/ssp/protowalk"
)

// This file encodes and decodes TransportBuffers.Instruction (§4, and
// internal/wirepb/transportinstruction.proto, mosh 1.4's
// src/protobufs/transportinstruction.proto) by hand with protowire. The
// generated code went through reflection for every datagram, about half a
// microsecond and ten allocations each way for a keystroke (issue 3).
//
// The output is byte-identical to proto.MarshalOptions{Deterministic:
// true}.Marshal of the generated message with all seven fields set, as mosh
// writes them, and decoding follows proto.Unmarshal (proto2): unknown fields
// and known fields of the wrong wire type are skipped, a field repeated in
// the message keeps its last value, a missing field reads as zero (a
// missing diff or chaff as nil), and malformed wire data is errParse
// (wire_test.go compares both on random and fuzzed input).
const (
	fieldProtocolVersion protowire.Number = 1 // uint32
	fieldOldNum          protowire.Number = 2 // uint64
	fieldNewNum          protowire.Number = 3 // uint64
	fieldAckNum          protowire.Number = 4 // uint64
	fieldThrowawayNum    protowire.Number = 5 // uint64
	fieldDiff            protowire.Number = 6 // bytes
	fieldChaff           protowire.Number = 7 // bytes
)

// sizeRaw is the length of the encoded instruction: seven one-byte tags.
func (a *instruction) sizeRaw() int {
	return 7 + protowire.SizeVarint(uint64(a.protocolVersion)) +
		protowire.SizeVarint(a.oldNum) + protowire.SizeVarint(a.newNum) +
		protowire.SizeVarint(a.ackNum) + protowire.SizeVarint(a.throwawayNum) +
		protowire.SizeBytes(len(a.diff)) + protowire.SizeBytes(len(a.chaff))
}

// appendRaw appends the protobuf encoding of a, every field present and in
// field order (what deterministic proto.Marshal writes).
func (a *instruction) appendRaw(b []byte) []byte {
	b = appendVarintField(b, fieldProtocolVersion, uint64(a.protocolVersion))
	b = appendVarintField(b, fieldOldNum, a.oldNum)
	b = appendVarintField(b, fieldNewNum, a.newNum)
	b = appendVarintField(b, fieldAckNum, a.ackNum)
	b = appendVarintField(b, fieldThrowawayNum, a.throwawayNum)
	b = protowire.AppendTag(b, fieldDiff, protowire.BytesType)
	b = protowire.AppendBytes(b, a.diff)
	b = protowire.AppendTag(b, fieldChaff, protowire.BytesType)
	return protowire.AppendBytes(b, a.chaff)
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// decodeInstruction parses raw into a new instruction whose diff and
// chaff point into raw.
func decodeInstruction(raw []byte) (*instruction, error) {
	inst := &instruction{}
	if err := inst.decode(raw); err != nil {
		return nil, err
	}
	return inst, nil
}

// decode parses raw into inst, every field afresh. diff and chaff point
// into raw (capped, so that an append copies), so they are valid as long
// as raw is: a receiver decodes into one instruction per inflater, and
// hands the diff to State.Apply, which copies what it keeps.
func (inst *instruction) decode(raw []byte) error {
	*inst = instruction{}
	err := protowalk.Fields(raw, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case typ == protowire.VarintType:
			switch num {
			case fieldProtocolVersion:
				inst.protocolVersion = uint32(v)
			case fieldOldNum:
				inst.oldNum = v
			case fieldNewNum:
				inst.newNum = v
			case fieldAckNum:
				inst.ackNum = v
			case fieldThrowawayNum:
				inst.throwawayNum = v
			}
		case num == fieldDiff:
			inst.diff = b[:len(b):len(b)]
		case num == fieldChaff:
			inst.chaff = b[:len(b):len(b)]
		}
		return nil
	})
	if err != nil {
		*inst = instruction{}
		return errParse
	}
	return nil
}
