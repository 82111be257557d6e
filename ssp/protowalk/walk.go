package protowalk

import (
	"errors"

	"google.golang.org/protobuf/encoding/protowire"
)

// ErrMalformed reports bytes that are not protobuf wire format.
var ErrMalformed = errors.New("protowalk: invalid wire-format data")

// Fields calls field for each varint and length-delimited field of the
// message m in wire order, with its number, wire type and value: v for a
// varint, b for a length-delimited field (a sub-slice of m). Fields of the
// other wire types are checked and skipped. It stops at the first error
// field returns, and returns ErrMalformed as proto.Unmarshal fails: on a
// truncated or overlong varint, a field number outside 1…2²⁹−1, a length
// past the end, an unbalanced group or a reserved wire type.
func Fields(m []byte, field func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	for len(m) > 0 {
		num, typ, n := protowire.ConsumeTag(m)
		if n < 0 || num > protowire.MaxValidNumber {
			return ErrMalformed
		}
		m = m[n:]
		var v uint64
		var b []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(m)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(m)
		default:
			n = protowire.ConsumeFieldValue(num, typ, m)
		}
		if n < 0 {
			return ErrMalformed
		}
		m = m[n:]
		if typ == protowire.VarintType || typ == protowire.BytesType {
			if err := field(num, typ, v, b); err != nil {
				return err
			}
		}
	}
	return nil
}
