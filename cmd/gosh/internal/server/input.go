package server

// inputTranslator rewrites the user's arrow keys for the application.
// mosh-client keeps the user's real terminal in application-cursor mode
// (DECCKM, so arrows arrive as SS3 `ESC O A`…`D`); the server turns them
// back into `ESC [ A`…`D` unless the application itself set DECCKM
// (mosh-protocol.md §8.6; xterm ctlseqs "Cursor keys"). A sequence split
// across two reads is handled by holding the ESC or ESC O back.
type inputTranslator struct {
	held []byte // a trailing ESC or ESC O from the previous chunk
}

// translate returns the bytes to write to the pty for b. appCursor is the
// application's DECCKM state.
func (t *inputTranslator) translate(b []byte, appCursor bool) []byte {
	in := b
	if len(t.held) > 0 {
		in = append(t.held, b...)
		t.held = nil
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != 0x1b {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 == len(in):
			t.held = []byte{0x1b}
			return out
		case in[i+1] != 'O':
			out = append(out, c)
		case i+2 == len(in):
			t.held = []byte{0x1b, 'O'}
			return out
		case !appCursor && in[i+2] >= 'A' && in[i+2] <= 'D':
			out = append(out, 0x1b, '[', in[i+2])
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

// flush returns held bytes, for a lone ESC that no later byte followed
// (the user really pressed Escape): the caller sends it once the batch
// of events is done, so held bytes never wait for the next keystroke.
func (t *inputTranslator) flush() []byte {
	h := t.held
	t.held = nil
	return h
}
