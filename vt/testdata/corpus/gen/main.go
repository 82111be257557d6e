// Command gen writes the synthetic streams of the vt differential corpus
// (vt/testdata/corpus/*.vt) and the corpus README.
//
//	go run ./vt/testdata/corpus/gen            # from the repository root
//
// Every stream is built from literal strings and loops, without randomness
// or clocks, so running gen twice gives identical files. The streams assume
// an 80x24 screen (the size the differential test uses). Recordings of real
// programs are made by record.sh, not by gen; gen leaves them alone but
// describes them in the README.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const cols, rows = 80, 24

// esc and csi build escape sequences: csi("2;5", 'H') is ESC [ 2 ; 5 H.
func esc(s string) string           { return "\x1b" + s }
func csi(p string, f byte) string   { return "\x1b[" + p + string(f) }
func cup(row, col int) string       { return csi(fmt.Sprintf("%d;%d", row, col), 'H') }
func repeat(s string, n int) string { return strings.Repeat(s, n) }

// ruler is a recognisable line of n characters: digits of the column.
func ruler(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteByte(byte('0' + i%10))
	}
	return b.String()
}

// fill writes distinct text on every row, so that scrolls, insertions and
// erasures show up as visible differences.
func fill() string {
	var b strings.Builder
	b.WriteString(cup(1, 1))
	for r := range rows {
		b.WriteString(cup(r+1, 1))
		line := fmt.Sprintf("row%02d ", r)
		for len(line) < cols {
			line += string(rune('a' + (r+len(line))%26))
		}
		b.WriteString(line)
	}
	return b.String()
}

type stream struct {
	name, about string
	data        string
}

func streams() []stream {
	var s []stream
	add := func(name, about string, parts ...string) {
		s = append(s, stream{name, about, strings.Join(parts, "")})
	}

	// Printing, autowrap and the deferred wrap at the last column.
	add("print-autowrap", "printable ASCII with autowrap: a line of exactly 80 then CR LF (no blank line), 81 and 200 characters wrapping, printing into the last column at the bottom row scrolls",
		"exactly eighty:\r\n", ruler(80), "\r\n",
		"eighty-one:\r\n", ruler(81), "\r\n",
		"two hundred:\r\n", ruler(200), "\r\n",
		cup(24, 1), ruler(80), "X", "tail")
	add("print-deferred-wrap", "the pending wrap after the last column: CR, CUP, CUF and a second character each resolve it",
		ruler(80), "\r", "CR-after-wrap", cup(3, 1),
		ruler(80), cup(4, 10), "CUP", cup(5, 1),
		ruler(79), "AB", cup(7, 1),
		ruler(80), csi("", 'C'), "CUF", cup(9, 1),
		ruler(80), cup(9, 1), "again at the start", cup(24, 1), ruler(80), "\r\n", "scrolled once")
	add("print-pending-wrap-motion", "LF, EL, BS, CUB, CUU and CUD while a wrap is pending: a VT resets the pending wrap and acts from the last column",
		ruler(80), "\n", "LF", cup(4, 1),
		ruler(80), csi("", 'K'), "EL", cup(7, 1),
		ruler(80), "\bX", cup(9, 1),
		ruler(80), csi("", 'D'), "CUB", cup(12, 1),
		ruler(80), csi("", 'B'), "CUD", cup(15, 1),
		ruler(80), csi("", 'A'), "CUU")
	add("print-nowrap", "autowrap off (DECAWM ?7l): characters past the last column overwrite it; then on again",
		csi("?7", 'l'), ruler(80), "XYZ", "\r\n", "short", csi("?7", 'h'), "\r\n", ruler(85))
	add("print-long-lines", "long lines: 40 lines of 237 characters each, wrapping and scrolling",
		func() string {
			var b strings.Builder
			for i := range 40 {
				fmt.Fprintf(&b, "%03d:", i)
				for j := range 233 {
					b.WriteByte(byte('A' + (i+j)%26))
				}
				b.WriteString("\r\n")
			}
			return b.String()
		}())

	// Wide characters.
	add("wide-cjk", "CJK (width 2) text, wrapping when one column is left at the edge, and a wide character whose first column is overwritten (the second is erased)",
		"中文字符测试 汉字",
		cup(2, 1), repeat("x", 79), "中",
		cup(4, 1), repeat("y", 78), "文字",
		cup(6, 1), "一二三四五", cup(6, 5), "B",
		cup(8, 1), repeat("漢", 45))
	add("wide-emoji", "single-code-point emoji of width 2 (U+1F600 etc.) in a line and at the right edge",
		"smile 😀 rocket 🚀 cat 🐈 end\r\n",
		repeat("e", 79), "😀", "\r\n",
		repeat("🎉", 41), "\r\n")
	add("wide-nowrap", "wide characters with autowrap off at the last column(s)",
		csi("?7", 'l'), repeat("z", 78), "中文字", "\r\n", repeat("w", 79), "中", csi("?7", 'h'))
	add("wide-emoji-zwj", "emoji ZWJ sequences and VS16 (family, flags, heart): one grapheme cluster each",
		"family 👨\u200d👩\u200d👧 flag 🇫🇷 heart ❤\ufe0f end\r\n")

	// Combining marks.
	add("combining", "combining marks (U+0301, U+0303, U+0308, stacked) on ASCII, on CJK, at the start of a line and at the last column",
		"cafe\u0301 nin\u0303o u\u0308ber a\u0301\u0302\u0303 中\u0301\r\n",
		"\u0301start\r\n",
		repeat("m", 79), "e\u0301", "after\r\n",
		"decomposed: A\u030a ", "precomposed: \u00c5")

	// C0 controls.
	add("c0-controls", "CR, LF, BS (including at column 0), HT (to the last column), VT and FF (both line feeds), BEL and NUL (no effect)",
		"abc\rX\r\n",
		"line\nfeed\r\n",
		"back\b\bBS\r\n",
		"\b\bcol0\r\n",
		"\ttab\t\ttab2\r\n",
		repeat("\t", 12), "T\r\n",
		"vt\vff\fend\r\n",
		"bell\a nul\x00 done")

	// Cursor motion.
	var motion strings.Builder
	motion.WriteString(cup(12, 40) + "*")
	for _, m := range []struct{ seq, mark string }{
		{csi("3", 'A'), "U"}, {csi("5", 'B'), "D"}, {csi("4", 'C'), "F"}, {csi("10", 'D'), "B"},
		{csi("2", 'E'), "N"}, {csi("3", 'F'), "P"}, {csi("70", 'G'), "G"}, {cup(2, 3), "H"},
		{csi("4;6", 'f'), "f"}, {csi("20", 'd'), "d"}, {csi("30", '`'), "`"},
		{csi("", 'A'), "u"}, {csi("0", 'B'), "z"}, {csi("0", 'C'), "c"}, {csi("", 'H'), "h"},
	} {
		motion.WriteString(m.seq + m.mark)
	}
	add("cursor-motion", "every absolute and relative cursor motion (CUU CUD CUF CUB CNL CPL CHA CUP HVP VPA HPA) each leaving a mark; default and zero parameters mean 1",
		motion.String())
	add("cursor-vpr-hpr", "VPR (CSI e) and HPR (CSI a), including clamping at the edges",
		cup(5, 10), "*", csi("3", 'e'), "v", csi("4", 'a'), "h", csi("", 'e'), csi("", 'a'), "1", csi("99", 'e'), csi("999", 'a'), "e")
	var clamp strings.Builder
	clamp.WriteString(cup(12, 40))
	// A mark printed in the last column leaves a wrap pending; an absolute
	// motion follows it, so vertical motions never start from a pending
	// wrap (that is print-pending-wrap-motion's subject).
	for _, m := range []struct{ seq, mark string }{
		{csi("99", 'A'), "1"}, {csi("999", 'C'), "2" + csi("40", 'G')}, {csi("99", 'B'), "3"}, {csi("999", 'D'), "4"},
		{cup(99, 99), "5"}, {csi("0;0", 'H'), "6"}, {csi("99", 'E'), "7"}, {csi("99", 'F'), "8"},
		{csi("200", 'G'), "9" + cup(12, 40)}, {csi("100", 'd'), "a"}, {csi("100", '`'), "b" + csi("20", 'G')},
		{csi("65535;65535", 'f'), "e"}, {csi("12;40", 'H') + csi("99999", 'D'), "f"},
	} {
		clamp.WriteString(m.seq + m.mark)
	}
	add("cursor-clamp", "cursor motions with parameters far past the edges (and past 65535) stop at the screen's border",
		clamp.String())

	// Erasing.
	add("erase-display", "ED 0, 1 and 2 on a full screen, each from a different cursor position",
		fill(), cup(20, 40), csi("", 'J'), cup(3, 40), csi("1", 'J'), cup(10, 1), "after ED1",
		cup(15, 1), "line 15 kept")
	add("erase-display-all", "ED 2 and ED 3 clear everything but keep the cursor where it was",
		fill(), cup(7, 33), csi("2", 'J'), "x", cup(9, 9), csi("3", 'J'), "y")
	add("erase-line", "EL 0, 1, 2 and ECH (including ECH past the right edge and ECH 0)",
		fill(), cup(2, 30), csi("", 'K'), cup(3, 30), csi("1", 'K'), cup(4, 30), csi("2", 'K'),
		cup(5, 10), csi("5", 'X'), cup(6, 75), csi("20", 'X'), cup(7, 1), csi("0", 'X'),
		cup(8, 80), csi("", 'K'), cup(9, 1), csi("1", 'K'))
	add("erase-selective", "DECSCA-protected text with DECSED and DECSEL (CSI ? J, CSI ? K): protected characters survive",
		"plain ", "\x1b[1\"q", "PROTECTED", "\x1b[0\"q", " plain\r\n",
		"more plain text", cup(1, 1), csi("?2", 'K'), cup(2, 5), csi("?0", 'J'))

	// Insert and delete.
	add("insert-delete-chars", "ICH and DCH in a line and at the edge, DCH past the edge",
		fill(), cup(2, 10), csi("5", '@'), cup(3, 10), csi("5", 'P'), cup(4, 70), csi("3", '@'),
		cup(5, 70), csi("30", 'P'), cup(6, 1), "中文中文中文", cup(6, 3), csi("2", '@'), cup(7, 1), "中文中文", cup(7, 3), csi("2", 'P'))
	add("insert-delete-chars-edge", "ICH whose count reaches or passes the right margin clears to the margin",
		fill(), cup(2, 78), csi("10", '@'), cup(3, 78), csi("3", '@'), cup(4, 1), csi("80", '@'))
	add("wide-split", "ICH, DCH and printing that split a wide character: the broken character is erased",
		cup(1, 1), "中文中文中文", cup(1, 4), csi("", '@'),
		cup(2, 1), "中文中文", cup(2, 2), csi("", 'P'),
		cup(3, 1), "一二三四五", cup(3, 2), "A")
	add("insert-delete-lines", "IL and DL at the top, middle and past the bottom, and inside a scroll region",
		fill(), cup(3, 5), csi("2", 'L'), cup(10, 5), csi("3", 'M'), cup(22, 1), csi("9", 'L'),
		csi("5;15", 'r'), cup(8, 1), csi("2", 'L'), cup(12, 1), csi("4", 'M'), cup(15, 1), csi("3", 'L'), csi("", 'r'))
	add("insert-delete-lines-outside-region", "IL and DL with the cursor outside the scroll region do nothing",
		fill(), csi("5;15", 'r'), cup(20, 1), csi("2", 'L'), cup(2, 1), csi("2", 'M'), csi("", 'r'))

	// Scrolling.
	add("scroll-up-down", "SU and SD on the whole screen and inside a region",
		fill(), csi("3", 'S'), csi("1", 'T'), csi("6;12", 'r'), csi("2", 'S'), csi("4", 'T'), csi("", 'r'),
		cup(24, 1), "end")
	add("index-reverse-index", "IND, RI and NEL: moving down and up, scrolling at the bottom and at the top",
		fill(), cup(24, 10), esc("D"), "ind", cup(1, 10), esc("M"), "ri", cup(5, 10), esc("E"), "nel",
		cup(10, 10), esc("D"), esc("M"), esc("M"), "x")
	add("scroll-region", "DECSTBM: LF and RI scroll only the region; LF below the region at the bottom row scrolls nothing; an invalid region is ignored; DECSTBM homes the cursor",
		fill(), csi("5;10", 'r'), "home", cup(10, 1), "\n\n\nscrolled", cup(5, 20), esc("M"), esc("M"), "rev",
		cup(24, 1), "\n\nbottom", csi("10;5", 'r'), "+", csi("", 'r'), cup(12, 1), "after")
	add("scroll-region-lines", "text written continuously inside a region in the middle of the screen",
		fill(), csi("8;16", 'r'), cup(8, 1), func() string {
			var b strings.Builder
			for i := range 50 {
				fmt.Fprintf(&b, "region line %d\r\n", i)
			}
			return b.String()
		}(), csi("", 'r'))
	add("scroll-many", "2000 numbered lines scrolling the whole screen",
		func() string {
			var b strings.Builder
			for i := range 2000 {
				fmt.Fprintf(&b, "line %04d %s\r\n", i, repeat(string(rune('a'+i%26)), i%60))
			}
			return b.String()
		}())

	// Saving the cursor, origin mode, insert mode, LNM.
	add("save-restore", "DECSC/DECRC (ESC 7, ESC 8) and SCOSC/SCORC (CSI s, CSI u) restore the position (and charset)",
		cup(5, 10), esc("7"), cup(20, 60), "far", esc("8"), "back",
		cup(7, 7), csi("", 's'), cup(1, 1), "top", csi("", 'u'), "again",
		cup(10, 1), esc("(0"), esc("7"), esc("(B"), cup(11, 1), "qqq", esc("8"), "qqq", esc("(B"), " ascii",
		esc("8"), esc("(B"))
	add("origin-mode", "DECOM with a scroll region: CUP is relative to the region and cannot leave it; DECRC restores",
		fill(), csi("5;15", 'r'), csi("?6", 'h'), cup(1, 1), "origin", cup(99, 5), "bottom", csi("", 'A'),
		csi("30", 'A'), "top", csi("?6", 'l'), cup(1, 1), "abs", csi("", 'r'))
	add("insert-mode", "IRM (CSI 4 h): printing shifts the rest of the line right, characters pushed off are lost",
		fill(), cup(3, 5), csi("4", 'h'), "INSERTED", cup(4, 75), "123", csi("4", 'l'), cup(5, 5), "over")
	add("insert-mode-wrap", "IRM: a character that wraps onto the next line is inserted there too",
		fill(), cup(4, 75), csi("4", 'h'), "12345678", csi("4", 'l'))
	add("lnm", "LNM (CSI 20 h): LF, VT and FF also return the carriage",
		"first", csi("20", 'h'), "\nsecond\vthird\ffourth", csi("20", 'l'), "\nfifth")

	// Tab stops.
	add("tabs", "HT and CBT with the default stops every 8 columns (including at both edges), then HTS, TBC 0 and TBC 3",
		"a\tb\tc\td",
		cup(2, 30), csi("2", 'Z'), "cbt", csi("", 'Z'), csi("", 'Z'), "<",
		cup(3, 80), csi("", 'Z'), "L", cup(4, 1), csi("", 'Z'), "0",
		cup(5, 1), csi("3", 'g'), cup(5, 5), esc("H"), cup(5, 13), esc("H"), "\r\tX\tY\tZ",
		cup(6, 1), "\tfive", csi("2", 'Z'), "back",
		cup(7, 13), csi("", 'g'), "\r\t1\t2",
		cup(8, 1), csi("3", 'g'), "\tnone")
	add("tabs-cht", "CHT (CSI I) with the default stops, to the last column, and with CBT",
		csi("3", 'I'), "cht", csi("2", 'Z'), "cbt", cup(3, 70), csi("20", 'I'), "R", cup(4, 1), csi("", 'I'), "x")

	// Character sets.
	add("charset-dec-graphics", "DEC special graphics in G0 (ESC ( 0) and G1 (ESC ) 0 with SO/SI): a box, every mapped character",
		esc("(0"), "lqqqqqqqqk\r\nx box    x\r\nmqqqqqqqqj", esc("(B"), "\r\n",
		esc("(0"), "`abcdefghijklmnopqrstuvwxyz{|}~", esc("(B"), "\r\n",
		esc(")0"), "ascii\x0etqu\x0fascii\x0ewvn\x0f\r\n",
		esc(")B"), "\x0eplain in G1\x0f")
	add("charset-g2-g3", "G2 and G3 designations with LS2/LS3 (ESC n, ESC o) and single shifts SS2/SS3 (ESC N, ESC O)",
		esc("*0"), esc("+0"), esc("n"), "lqk", esc("o"), "mqj", "\x0f", "\x1b(B", "ascii\r\n",
		"a", esc("N"), "qb", esc("O"), "qc")
	add("rep", "REP (CSI b) repeats the last printed character within the line",
		"x", csi("9", 'b'), "\r\n", "ab", csi("", 'b'), "\r\n", "-", csi("0", 'b'), "+")
	add("rep-wrap-wide", "REP across the line end, and after a wide character",
		"-", csi("100", 'b'), "\r\n", "中", csi("3", 'b'))
	add("decaln", "DECALN (ESC # 8) fills the screen with E and homes the cursor; then text over it",
		fill(), csi("5;10", 'r'), cup(12, 12), esc("#8"), "top", cup(24, 70), "bottom")
	add("ris", "RIS (ESC c) clears the screen, the modes, the tab stops and the region",
		fill(), csi("5;10", 'r'), csi("?6", 'h'), csi("4", 'h'), esc("(0"), esc("c"),
		"after reset qqq\ttab", cup(24, 1), "\nscrolls")
	add("decstr", "DECSTR (CSI ! p): soft reset keeps the text and the cursor but resets origin and insert mode, the region and the charsets",
		fill(), csi("5;10", 'r'), csi("?6", 'h'), csi("4", 'h'), esc("(0"), cup(2, 2), "q",
		csi("!", 'p'), "soft qqq", cup(24, 1), "\nscrolls whole")

	// Alternate screen.
	add("altscreen-1049", "mode 1049: save cursor, switch to a cleared alternate screen, draw, and switch back to the untouched main screen and cursor",
		"main screen text", cup(5, 10), "cursor here", csi("?1049", 'h'), "alternate", cup(20, 20), "alt text",
		csi("?1049", 'l'), "!")
	add("altscreen-1047", "mode 1047: alternate screen cleared on leaving, cursor not restored",
		"main 1047", cup(3, 3), csi("?1047", 'h'), cup(10, 10), "alt", csi("?1047", 'l'), "back")
	add("altscreen-47", "mode 47: the alternate screen without clearing or cursor saving",
		"main 47", cup(3, 3), csi("?47", 'h'), cup(10, 10), "alt", csi("?47", 'l'), "back")

	// Strings and encodings.
	add("strings-osc-dcs", "OSC (titles, OSC 8 hyperlinks, colours; BEL and ST ends), DCS, APC, PM and SOS strings leave no text behind",
		esc("]0;window title\a"), "a", esc("]2;other title"+"\x1b\\"), "b",
		esc("]8;;https://example.com/\x1b\\"), "link text", esc("]8;;\x1b\\"), " c",
		esc("]10;?\a"), esc("]4;1;rgb:ff/00/00\a"), "d",
		esc("Pq#0;2;0;0;0#1!6~\x1b\\"), "e", esc("_apc string\x1b\\"), "f", esc("^pm string\x1b\\"), "g",
		esc("Xsos string\x1b\\"), "h\r\n", esc("]2;unterminated title ends at CAN\x18"), "i")
	add("utf8-invalid", "malformed UTF-8: stray continuation bytes, truncated sequences, overlong forms and surrogates, each between ASCII markers",
		"a\x80b\xbfc\r\n", "d\xe4\xb8e\r\n", "f\xc0\xafg\r\n", "h\xed\xa0\x80i\r\n", "j\xf8\x88\x80\x80\x80k\r\n", "l\xffm")

	// SGR (only the text is compared, but the sequences must not disturb it).
	var sgr strings.Builder
	for i := range 108 {
		fmt.Fprintf(&sgr, "\x1b[%dm%d\x1b[m ", i, i)
		if i%12 == 11 {
			sgr.WriteString("\r\n")
		}
	}
	for i := range 256 {
		fmt.Fprintf(&sgr, "\x1b[38;5;%dm#\x1b[48;5;%dm ", i, 255-i)
	}
	sgr.WriteString("\x1b[m\r\n\x1b[38;2;255;100;0mtrue\x1b[48:2::0:0:255mcolour\x1b[4:3mcurly\x1b[58;5;196mred\x1b[m end")
	add("sgr", "SGR 0-107, 256 indexed foreground/background colours, 24-bit colours with ; and : forms, underline styles",
		sgr.String())

	return s
}

func main() {
	dir := "vt/testdata/corpus"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if _, err := os.Stat(dir); err != nil {
		log.Fatalf("gen: run from the repository root or pass the corpus directory: %v", err)
	}
	all := streams()
	names := map[string]bool{}
	for _, st := range all {
		if names[st.name] {
			log.Fatalf("gen: duplicate stream %s", st.name)
		}
		names[st.name] = true
		if len(st.data) >= 100<<10 {
			log.Fatalf("gen: %s is %d bytes, over 100 KB", st.name, len(st.data))
		}
		if err := os.WriteFile(filepath.Join(dir, st.name+".vt"), []byte(st.data), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	var b strings.Builder
	b.WriteString(readmeHead)
	for _, st := range all {
		fmt.Fprintf(&b, "| `%s.vt` | %d | %s |\n", st.name, len(st.data), st.about)
	}
	b.WriteString(readmeTail)
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

const readmeHead = `# vt differential corpus

Byte streams exactly as a program writes them to its terminal, each under
100 KB, replayed by ` + "`vt/differential_test.go`" + ` through ` + "`vt`" + ` and through tmux (the
reference emulator, see ` + "`vt/vttest/tmux.go`" + `) on an 80x24 screen. The
final screen text and cursor must match, except for the cases listed with a
reason in the test's known-differences table (` + "`knownDiffs`" + `). Each of those streams
isolates one behaviour where tmux 3.3a departs from a VT/xterm, and for each
` + "`known/<name>.txt`" + ` holds vt's screen (rows, then ` + "`cursor X Y`" + `), reviewed by hand
against the VT/xterm behaviour; ` + "`go test ./vt -run TestDifferential -update-known`" + `
rewrites them from vt's output, for review.

This file is generated by ` + "`go run ./vt/testdata/corpus/gen`" + ` (from the
repository root); edit the generator, not this file.

## Synthetic streams (written by gen/main.go)

Deterministic: literal strings and loops, no randomness. Regenerate with
` + "`go run ./vt/testdata/corpus/gen`" + ` and review the diff.

| file | bytes | exercises |
|---|---|---|
`

const readmeTail = `
## Recordings of real programs (made by gen/record.sh)

Each recording is the exact output a program wrote while running in a tmux
pane of 80x24 with ` + "`TERM=xterm-256color`" + `, captured with ` + "`tmux pipe-pane -o`" + ` and
driven by ` + "`tmux send-keys`" + `; most stop while the program is still
displaying, so that the final screen has content to compare. They are committed, so CI only replays them;
` + "`gen/record.sh`" + ` (needs tmux, vim, less, htop, man-db) remakes them, and because
programs draw with timers and read their environment the bytes differ from
run to run (the screens do not).

| file | what was recorded |
|---|---|
| ` + "`rec-vim.vt`" + ` | ` + "`vim -u NONE -N -n`" + ` on a small Go file: open, move around, insert a line, ` + "`:set number`" + `, move; recording stops with vim on screen |
| ` + "`rec-vim-quit.vt`" + ` | vim on the same file: append to a line, then ` + "`:q!`" + `, back to the main screen (mode 1049) |
| ` + "`rec-less.vt`" + ` | ` + "`less`" + ` on a 200-line text file: page down, search for a word, page back; stops with less on screen |
| ` + "`rec-htop.vt`" + ` | ` + "`htop -d 5 --filter=htop`" + ` (only htop itself in the process list): meters, a few refreshes, cursor moved |
| ` + "`rec-ls-color.vt`" + ` | ` + "`ls -l --color=always`" + ` of a directory of files with different types |
| ` + "`rec-man.vt`" + ` | ` + "`man`" + ` (through less) on a manual page written for the corpus: page down; stops with the page on screen |

Licensing: the recordings contain only what the programs displayed. Their
input files (the Go file, the text file, the directory listing, the manual
page) were written for this corpus and are part of this repository under the
project's licence; the programs' own screens (vim's and less's status lines,
htop's meters and process list of the recording machine) are short functional
output, not copied works. htop was filtered to show only itself,
so no other command line of the recording machine is in the corpus.
`
