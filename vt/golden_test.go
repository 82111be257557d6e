package vt_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// TestGolden renders streams to vttest.Dump goldens in
// testdata/TestGolden/<name>.golden; run with -update after a deliberate
// change and review the diff.
func TestGolden(t *testing.T) {
	streams := map[string]string{
		"sgr-styles": "\x1b[1mbold\x1b[22m \x1b[2mdim\x1b[22m \x1b[3mital\x1b[23m \x1b[4:3mcurly\x1b[58;5;1m red\x1b[m\r\n" +
			"\x1b[7minv\x1b[27m \x1b[9mstrike\x1b[m \x1b[38;2;255;128;0;48;5;17mtrue\x1b[m \x1b[91;104mbright\x1b[m\r\n" +
			"\x1b]8;id=a;https://gosh.dev/\x1b\\link\x1b]8;;\x1b\\ \x1b[21mdouble\x1b[m",
		"unicode": "wide: 中文字 emoji: 😀👍🏽 zwj: 👩\u200d💻 flag: 🇯🇵\r\ncombining: e\u0301 a\u0308\u0301 n\u0303\r\n" +
			"edge: 01234567890123456789012345678901234中",
		"box-drawing":     "\x1b(0lqqqqqqqk\r\nx\x1b(B hello \x1b(0x\r\nmqqqqqqqj\x1b(B\r\n\x1b[?25l\x1b[4 q",
		"modes-and-title": "\x1b]1;icon\x07\x1b]2;window title\x07\x1b]52;c;Z29zaA==\x07\x07\x1b[?1h\x1b=\x1b[?1002h\x1b[?1006h\x1b[?2004h\x1b[?1004h\x1b[?1049hon the alternate screen",
	}
	for name, in := range streams {
		t.Run(name, func(t *testing.T) {
			s := vt.NewScreen(40, 6)
			s.WriteString(in)
			vttest.Golden(t, vttest.Dump(s))
		})
	}
	// Real program recordings from the differential corpus.
	for _, name := range []string{"rec-vim", "rec-htop", "rec-ls-color"} {
		t.Run(name, func(t *testing.T) {
			stream, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".vt"))
			if err != nil {
				t.Skipf("corpus stream missing: %v", err)
			}
			s := vt.NewScreen(80, 24)
			s.Write(stream)
			vttest.Golden(t, vttest.Dump(s))
		})
	}
}
