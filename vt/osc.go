package vt

import (
	"bytes"
	"strings"
)

// maxTitle bounds the title and icon name, in bytes (mosh keeps 256
// characters; a title longer than a screen line is useless anyway).
const maxTitle = 1024

// OSC implements parser.Performer: operating system commands (xterm
// ctlseqs "Operating System Commands").
//
//	0 ; text      icon name and window title
//	1 ; text      icon name
//	2 ; text      window title
//	8 ; params ; uri   hyperlink (params: key=value pairs separated by ':', e.g. id=x)
//	52 ; sel ; data    clipboard set (data base64); a "?" query is ignored
//
// Queries are not answered: answering clipboard reads would let any
// program read the user's clipboard.
func (s *Screen) OSC(body []byte) {
	cmd, rest, _ := bytes.Cut(body, []byte{';'})
	switch string(cmd) {
	case "0", "": // mosh treats "ESC ] ; t" as 0
		t := text(rest)
		s.title, s.icon = t, t
	case "1":
		s.icon = text(rest)
	case "2":
		s.title = text(rest)
	case "8":
		params, uri, ok := bytes.Cut(rest, []byte{';'})
		if !ok {
			return
		}
		pen := s.pen
		pen.Link, pen.LinkID = "", ""
		if len(uri) > 0 {
			pen.Link = strings.ToValidUTF8(string(uri), "\uFFFD")
			for _, kv := range bytes.Split(params, []byte{':'}) {
				if id, ok := bytes.CutPrefix(kv, []byte("id=")); ok {
					pen.LinkID = string(id)
				}
			}
		}
		s.setPen(pen)
	case "52":
		sel, data, ok := bytes.Cut(rest, []byte{';'})
		if !ok || string(data) == "?" {
			return
		}
		s.clipSel = string(sel)
		s.clipData = string(data)
	}
}

// text makes a title: valid UTF-8, no control characters, bounded.
func text(b []byte) string {
	if len(b) > maxTitle {
		b = b[:maxTitle]
	}
	t := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7F && r < 0xA0) {
			return -1
		}
		return r
	}, t)
}
