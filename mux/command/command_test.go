package command

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		argv      []string
		flags     map[byte]string
		pos       []string
		errSubstr string
	}{
		{argv: []string{"-d", "-s", "dev", "vim"}, flags: map[byte]string{'d': "", 's': "dev"}, pos: []string{"vim"}},
		{argv: []string{"-dsdev"}, flags: map[byte]string{'d': "", 's': "dev"}},
		{argv: []string{"-x", "100", "--", "-d"}, flags: map[byte]string{'x': "100"}, pos: []string{"-d"}},
		{argv: []string{"echo", "-d"}, pos: []string{"echo", "-d"}},
		{argv: []string{"-", "a"}, pos: []string{"-", "a"}},
		{argv: []string{"-Q"}, errSubstr: "unknown flag -Q"},
		{argv: []string{"-s"}, errSubstr: "-s expects an argument"},
		{argv: []string{"-:"}, errSubstr: "unknown flag -:"},
	}
	for _, tt := range tests {
		a, err := ParseArgs("ds:x:", tt.argv, 0, 2)
		if tt.errSubstr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("%q: err %v, want %q", tt.argv, err, tt.errSubstr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.argv, err)
			continue
		}
		for f, v := range tt.flags {
			if !a.Has(f) || a.Value(f) != v {
				t.Errorf("%q: -%c = %q (has %v), want %q", tt.argv, f, a.Value(f), a.Has(f), v)
			}
		}
		if len(a.Positional) != len(tt.pos) || (len(tt.pos) > 0 && !reflect.DeepEqual(a.Positional, tt.pos)) {
			t.Errorf("%q: positional %q, want %q", tt.argv, a.Positional, tt.pos)
		}
	}
	if _, err := ParseArgs("", []string{"a", "b"}, 0, 1); err == nil || err.Error() != "too many arguments (need at most 1)" {
		t.Errorf("too many: %v", err)
	}
	if _, err := ParseArgs("", nil, 1, 1); err == nil || err.Error() != "too few arguments (need at least 1)" {
		t.Errorf("too few: %v", err)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		want Target
	}{
		{"", KindPane, Target{}},
		{"dev", KindSession, Target{Session: "dev"}},
		{"dev:1", KindSession, Target{Session: "dev"}},
		{"dev", KindWindow, Target{Window: "dev", Lone: true}},
		{"dev:", KindWindow, Target{Session: "dev"}},
		{"dev:2", KindWindow, Target{Session: "dev", Window: "2"}},
		{"dev:2.1", KindWindow, Target{Session: "dev", Window: "2"}},
		{"dev:2.1", KindPane, Target{Session: "dev", Window: "2", Pane: "1"}},
		{":.1", KindPane, Target{Window: "", Pane: "1"}},
		{"2.1", KindPane, Target{Window: "2", Pane: "1"}},
		{"1", KindPane, Target{Pane: "1", Lone: true}},
		{"%7", KindPane, Target{Pane: "%7"}},
		{"%7", KindSession, Target{Pane: "%7"}},
		{"@3", KindWindow, Target{Window: "@3"}},
		{"@3.1", KindPane, Target{Window: "@3", Pane: "1"}},
		{"$2", KindPane, Target{Session: "$2"}},
		{"$2", KindWindow, Target{Session: "$2"}},
		{"=dev:editor.0", KindPane, Target{Session: "=dev", Window: "editor", Pane: "0"}},
		{"dev:+", KindWindow, Target{Session: "dev", Window: "+"}},
	}
	for _, tt := range tests {
		if got := ParseTarget(tt.in, tt.kind); got != tt.want {
			t.Errorf("ParseTarget(%q, %d) = %+v, want %+v", tt.in, tt.kind, got, tt.want)
		}
	}
	if got := SessionName("a.b:c"); got != "a_b_c" {
		t.Errorf("SessionName = %q", got)
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"", "dev:1.2", "%3", "@1.0", "$0", "a.b.c:d:e", ":", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []Kind{KindSession, KindWindow, KindPane} {
			tg := ParseTarget(s, k)
			// Every part comes from the input, and only pane targets name panes
			// (other than by %id, which always names a pane).
			for _, p := range []string{tg.Session, tg.Window, tg.Pane} {
				if !strings.Contains(s, p) {
					t.Fatalf("%q: part %q not in input", s, p)
				}
			}
			if k != KindPane && tg.Pane != "" && !strings.HasPrefix(s, "%") {
				t.Fatalf("%q kind %d: pane %q", s, k, tg.Pane)
			}
		}
	})
}

func TestEncodeKey(t *testing.T) {
	tests := []struct {
		name string
		app  bool
		want string
	}{
		{"Enter", false, "\r"}, {"Escape", false, "\x1b"}, {"Tab", false, "\t"}, {"BSpace", false, "\x7f"},
		{"Space", false, " "}, {"C-c", false, "\x03"}, {"C-C", false, "\x03"}, {"C-a", false, "\x01"},
		{"C-[", false, "\x1b"}, {"C-Space", false, "\x00"}, {"C-?", false, "\x7f"}, {"M-x", false, "\x1bx"},
		{"C-M-a", false, "\x1b\x01"}, {"M-Enter", false, "\x1b\r"}, {"S-a", false, "A"},
		{"Up", false, "\x1b[A"}, {"Up", true, "\x1bOA"}, {"Left", true, "\x1bOD"}, {"Home", false, "\x1b[H"},
		{"End", true, "\x1bOF"}, {"C-Up", true, "\x1b[1;5A"}, {"M-Right", false, "\x1b[1;3C"},
		{"S-Down", false, "\x1b[1;2B"}, {"PPage", false, "\x1b[5~"}, {"PageDown", false, "\x1b[6~"},
		{"NPage", false, "\x1b[6~"}, {"IC", false, "\x1b[2~"}, {"DC", false, "\x1b[3~"}, {"C-DC", false, "\x1b[3;5~"},
		{"F1", false, "\x1bOP"}, {"F4", true, "\x1bOS"}, {"F5", false, "\x1b[15~"}, {"F12", false, "\x1b[24~"},
		{"S-F1", false, "\x1b[1;2P"}, {"BTab", false, "\x1b[Z"}, {"a", false, "a"}, {"é", false, "é"},
	}
	for _, tt := range tests {
		got, ok := EncodeKey(tt.name, KeyModes{AppCursor: tt.app})
		if !ok || string(got) != tt.want {
			t.Errorf("EncodeKey(%q, app=%v) = %q, %v; want %q", tt.name, tt.app, got, ok, tt.want)
		}
	}
	for _, lit := range []string{"hello", "C-", "M-", "X-a", "C-é", "a-b", "Enterprise", ""} {
		if b, ok := EncodeKey(lit, KeyModes{}); ok {
			t.Errorf("EncodeKey(%q) = %q, want not a key", lit, b)
		}
	}
	if got := string(EncodeKeys([]string{"echo hi", "Enter", "C-c"}, false, KeyModes{})); got != "echo hi\r\x03" {
		t.Errorf("EncodeKeys = %q", got)
	}
	if got := string(EncodeKeys([]string{"Enter", "C-c"}, true, KeyModes{})); got != "EnterC-c" {
		t.Errorf("EncodeKeys -l = %q", got)
	}
}

func TestExpand(t *testing.T) {
	v := Vars{"session_name": "dev", "window_index": "1", "pane_active": "1", "window_active": "0",
		"pane_title": "vim", "session_created": "0", "long": "abcdef", "empty": "", "path": "/home/me/src/gosh",
		"name": "my sess", "hash": "a#b", "wide": "日本", "pi": "0",
		"x": `a|b&c;d<e>f(g)h$i` + "`" + `j\k"l'm*n?o[p#q r=s%%t~u{v}w!x,y]z^_`}
	tests := []struct{ in, want string }{
		{"#{session_name}:#{window_index}", "dev:1"},
		{"#S:#I #T", "dev:1 vim"},
		{"#{?pane_active,yes,no}", "yes"},
		{"#{?window_active,yes,no}", "no"},
		{"#{?empty,yes,no}", "no"},
		{"#{?missing,yes}", ""},
		{"#{?pane_active,#{session_name},x}", "dev"},
		{"#{?#{==:#{session_name},dev},same,diff}", "same"},
		{"#{==:a,b}#{!=:a,b}", "01"},
		{"#{>:10,9}#{<:10,9}#{>=:#{window_index},1}#{<=:a,b}#{>:b,a}", "10111"},
		{"#{?#{>:#{window_index},1},,-}Swap", "-Swap"},
		{"#{=3:long} #{=-2:long} #{=10:long}", "abc ef abcdef"},
		{"#{l:#{x}}", "#{x}"},
		{"## #, #} #z", "# , } #z"},
		{"#{unknown}", ""},
		{"#{unclosed", "#{unclosed"},
		{"100%", "100%"},
		{"#", "#"},
		// modifiers, each checked against tmux 3.3a's display -p
		{"#{b:path} #{d:path} #{n:session_name} #{b;=3:path} #{=3;b:path}", "gosh /home/me/src 3 gos gos"},
		{"#{s/e/E/:long}#{s/(a)(b)/\\2\\1/:long} #{s/[a-c]/Z/:long} #{s/D/x/i:long} #{s/e/E/;s/f/F/:long}", "abcdEfbacdef ZZZdef abcxef abcdEF"},
		{"#{e|+:1,2} #{e|-:5,7} #{e|*|f|2:5.5,3} #{e|/:7,2} #{e|m:7,3} #{e|<:2,10} #{e|==:3,3} #{e|+:1.9,2} #{e|+:,2} #{e|+:a,2}", "3 -2 16.50 3 1 1 1 3 2 "},
		{"#{e|/|f:1,3} #{e|/|f|0:1,3} #{e|/|f|5:1,3} #{e|/:1,0}", "0.33 0 0.33333 "},
		{"#{||:0,1}#{||:0,}#{&&:1,0}#{&&:1,x}#{||:#{==:a,a},0}", "10011"},
		{"#{m:d*,#{session_name}}#{m:d*,session_name}#{m:*e*,#{long}}#{m:[!a]bc*,#{long}}#{m/r:^a.c,#{long}}#{m/ri:^A.C,#{long}}#{m:?,}", "1010110"},
		{"#{s/x/#{long}/:long}#{q}", "abcdef"},
		// p (pad) and q (quote), against tmux 3.3a's display -p
		{"[#{p10:name}][#{p-10:name}][#{p3:name}][#{p-3:name}][#{p0:name}][#{pX:name}][#{p+4:name}]", "[my sess   ][   my sess][my sess][my sess][my sess][my sess][my sess]"},
		{"[#{p10;=3:name}][#{=3;p10:name}][#{p5;p8:name}][#{p10:nonexist}][#{p10:wide}][#{p-5:pi}]", "[my        ][my        ][my sess ][          ][日本      ][    0]"},
		{"[#{q:name}][#{p12;q:name}][#{q;n:name}][#{q;s/ /_/:name}][#{q/h:hash}][#{q:hash}][#{q:#{l:a b}}]", "[my\\ sess][my\\ sess    ][8][my\\_sess][a##b][a\\#b][a b]"},
		{"#{q:x}", `a\|b\&c\;d\<e\>f\(g\)h\$i\` + "`" + `j\\k\"l\'m\*n\?o\[p\#q\ r\=s\%\%t~u{v}w!x,y]z^_`},
	}
	for _, tt := range tests {
		if got := Expand(tt.in, v); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Expand("#{t:session_created}", v); !strings.Contains(got, "1970") {
		t.Errorf("t: = %q, want a 1970 date", got)
	}
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"#{session_name}", "#{?a,#{b},c}", "#{==:#{a},b}", "#{=-3:a}", "##", "#{t:a}", "#{=-9223372036854775808:a}", "#{?#{?#{a}}}",
		"#{s/|/aaaa/:#{s/|/aaaa/:b}}", "#{s/x*/yy/;s/y/zzz/:b}", "#{e|*|f|30:1e300,1e300}", "#{m:[*,a}", "#{b;d;n:a}", "#{p-1000;q:a}", "#{q/h;p5:b}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Expand(s, Vars{"a": "x", "b": "yy"})
		// Variables are short, so output can't grow much beyond the input
		// and the literal variable values.
		// p pads each #{…} to at most maxPad columns.
		if len(out) > 4*len(s)+8+maxPad*strings.Count(s, "#{") {
			t.Fatalf("Expand(%q) grew to %d bytes", s, len(out))
		}
		if !strings.Contains(s, "#") && out != s {
			t.Fatalf("Expand(%q) = %q changed text without '#'", s, out)
		}
	})
}

// recEnv is an Env that records calls, for table tests.
type recEnv struct {
	out   bytes.Buffer
	calls []string
}

var _ Env = (*recEnv)(nil)

func (e *recEnv) rec(format string, args ...any) {
	e.calls = append(e.calls, fmt.Sprintf(format, args...))
}

func (e *recEnv) Stdout() io.Writer { return &e.out }
func (e *recEnv) Cwd() string       { return "/home" }
func (e *recEnv) Find(target string, kind Kind) (Ref, error) {
	if target == "nope" {
		return Ref{}, fmt.Errorf("can't find session: %s", target)
	}
	e.rec("find %q %d", target, kind)
	return Ref{1, 2, 3}, nil
}
func (e *recEnv) Vars(r Ref) Vars {
	return Vars{"session_name": "dev", "pane_id": fmt.Sprintf("%%%d", r.Pane), "pane_width": "80", "pane_height": "24"}
}
func (e *recEnv) Sessions() []Ref     { return []Ref{{1, 2, 3}} }
func (e *recEnv) Windows(r Ref) []Ref { return []Ref{r} }
func (e *recEnv) Panes(r Ref) []Ref   { return []Ref{r, {1, 2, 4}} }
func (e *recEnv) NewSession(o NewSessionOptions) (Ref, error) {
	e.rec("new-session %+v", o)
	return Ref{5, 6, 7}, nil
}
func (e *recEnv) KillSession(r Ref) error { e.rec("kill-session %v", r); return nil }
func (e *recEnv) RenameSession(r Ref, n string) error {
	e.rec("rename-session %v %s", r, n)
	return nil
}
func (e *recEnv) NewWindow(r Ref, o WindowOptions) (Ref, error) {
	e.rec("new-window %v %+v", r, o)
	return r, nil
}
func (e *recEnv) SelectWindow(r Ref) error           { e.rec("select-window %v", r); return nil }
func (e *recEnv) KillWindow(r Ref) error             { e.rec("kill-window %v", r); return nil }
func (e *recEnv) RenameWindow(r Ref, n string) error { e.rec("rename-window %v %s", r, n); return nil }
func (e *recEnv) SplitWindow(r Ref, o SplitOptions) (Ref, error) {
	e.rec("split %v %+v", r, o)
	return Ref{1, 2, 9}, nil
}
func (e *recEnv) SelectPane(r Ref) error { e.rec("select-pane %v", r); return nil }
func (e *recEnv) Neighbor(r Ref, d Direction) (Ref, error) {
	e.rec("neighbor %v %d", r, d)
	return Ref{1, 2, 8}, nil
}
func (e *recEnv) ResizePane(r Ref, d Direction, n int) error {
	e.rec("resize %v %d %d", r, d, n)
	return nil
}
func (e *recEnv) ResizePaneTo(r Ref, width bool, n int) error {
	e.rec("resize-to %v width=%v %d", r, width, n)
	return nil
}
func (e *recEnv) ToggleZoom(r Ref) error { e.rec("zoom %v", r); return nil }
func (e *recEnv) KillPane(r Ref) error   { e.rec("kill-pane %v", r); return nil }
func (e *recEnv) SwapPanes(s, d Ref, detach bool) error {
	e.rec("swap %v %v %v", s, d, detach)
	return nil
}
func (e *recEnv) SelectLayout(r Ref, n string) error { e.rec("layout %v %s", r, n); return nil }
func (e *recEnv) StepLayout(r Ref, n int) error      { e.rec("step-layout %v %d", r, n); return nil }
func (e *recEnv) SpreadLayout(r Ref) error           { e.rec("spread %v", r); return nil }
func (e *recEnv) UndoLayout(r Ref) error             { e.rec("undo-layout %v", r); return nil }
func (e *recEnv) RotateWindow(r Ref, down, z bool) error {
	e.rec("rotate %v down=%v zoom=%v", r, down, z)
	return nil
}
func (e *recEnv) MoveWindow(r, dst Ref, o MoveOptions) (Ref, error) {
	e.rec("move %v %v %+v", r, dst, o)
	return r, nil
}
func (e *recEnv) RenumberWindows(r Ref) error { e.rec("renumber %v", r); return nil }
func (e *recEnv) JoinPane(s, d Ref, o SplitOptions) (Ref, error) {
	e.rec("join %v %v %+v", s, d, o)
	return s, nil
}
func (e *recEnv) SwapWindows(s, d Ref, detach bool) error {
	e.rec("swap-window %v %v %v", s, d, detach)
	return nil
}
func (e *recEnv) BreakPane(r, dst Ref, o BreakOptions) (Ref, error) {
	e.rec("break %v %v %+v", r, dst, o)
	return Ref{1, 7, 3}, nil
}
func (e *recEnv) KeyModes(Ref) KeyModes      { return KeyModes{AppCursor: true} }
func (e *recEnv) Send(r Ref, b []byte) error { e.rec("send %v %q", r, b); return nil }
func (e *recEnv) Capture(r Ref, o CaptureOptions) (string, error) {
	e.rec("capture %v %+v", r, o)
	return "line\n", nil
}
func (e *recEnv) SetOption(r Ref, g bool, n, v string) error {
	e.rec("set %v %v %s=%s", r, g, n, v)
	return nil
}
func (e *recEnv) KillServer() error { e.rec("kill-server"); return nil }

func TestRun(t *testing.T) {
	tests := []struct {
		argv  []string
		calls string // the last call recorded
		out   string
		err   string
	}{
		{argv: []string{"new", "-d", "-s", "w", "-x", "100", "-y", "30", "top"},
			calls: "new-session {Name:w WindowName: Dir: Width:100 Height:30 Command:[top] Env:map[]}"},
		{argv: []string{"new-session", "-dP", "-F", "#{pane_id}"}, out: "%7\n"},
		{argv: []string{"new-s", "-x", "wide"}, err: "-x wide invalid"},
		{argv: []string{"splitw", "-h", "-p", "30", "-t", "dev:1.2"}, calls: "split {1 2 3} {Horizontal:true Before:false Size:0 Percent:30 Dir: Detach:false Command:[] Env:map[] Full:false}"},
		{argv: []string{"splitw", "-l", "25%"}, calls: "split {1 2 3} {Horizontal:false Before:false Size:0 Percent:25 Dir: Detach:false Command:[] Env:map[] Full:false}"},
		{argv: []string{"splitw", "-e", "A=1", "-e", "B=x=y", "-e", "A=2"}, calls: "split {1 2 3} {Horizontal:false Before:false Size:0 Percent:0 Dir: Detach:false Command:[] Env:map[A:2 B:x=y] Full:false}"},
		{argv: []string{"splitw", "-e", "=1"}, err: "invalid environment: =1"},
		{argv: []string{"splitw", "-f", "-h"}, calls: "split {1 2 3} {Horizontal:true Before:false Size:0 Percent:0 Dir: Detach:false Command:[] Env:map[] Full:true}"},
		{argv: []string{"splitw", "-l", "7", "-c", "/tmp", "sh"}, calls: "split {1 2 3} {Horizontal:false Before:false Size:7 Percent:0 Dir:/tmp Detach:false Command:[sh] Env:map[] Full:false}"},
		{argv: []string{"splitw", "-p", "0"}, err: "percentage 0 too small or too large"},
		{argv: []string{"split-window", "-x"}, err: "command split-window: unknown flag -x\nusage: split-window [-bdhvP]"},
		{argv: []string{"selectp", "-L"}, calls: "select-pane {1 2 8}"},
		{argv: []string{"resize-pane", "-D", "5"}, calls: "resize {1 2 3} 3 5"},
		{argv: []string{"resize-pane", "-x", "60"}, calls: "resize-to {1 2 3} width=true 60"},
		{argv: []string{"resize-pane", "-y", "7"}, calls: "resize-to {1 2 3} width=false 7"},
		{argv: []string{"resizep", "-Z"}, calls: "zoom {1 2 3}"},
		{argv: []string{"send-keys", "-t", "%3", "echo hi", "Enter", "Up"}, calls: `send {1 2 3} "echo hi\r\x1bOA"`},
		{argv: []string{"send", "-l", "Up"}, calls: `send {1 2 3} "Up"`},
		{argv: []string{"capture-pane", "-p", "-S", "-10", "-E", "-", "-e"}, out: "line\n",
			calls: "capture {1 2 3} {Start:-10 End:0 HasStart:true HasEnd:true StartHistory:false EndVisible:true Escapes:true Join:false PreserveTrailing:false Alternate:false IgnoreMissingAlter:false}"},
		{argv: []string{"capture-pane"}, err: "use -p"},
		{argv: []string{"display", "-p", "#{session_name}:#{pane_width}x#{pane_height}"}, out: "dev:80x24\n"},
		{argv: []string{"has-session", "-t", "nope"}, err: "can't find session: nope"},
		{argv: []string{"swap-pane", "-D"}, calls: "swap {1 2 4} {1 2 3} false"},
		{argv: []string{"swap-pane", "-s", "%1", "-t", "%2"}, calls: "find \"%1\" 2"},
		{argv: []string{"join-pane", "-s", "%1", "-t", "%2"}, err: "source and target panes must be different"},
		{argv: []string{"joinp", "-h", "-l", "10", "-s", "%1"}, err: "source and target panes must be different"},
		{argv: []string{"select-layout", "even-horizontal"}, calls: "layout {1 2 3} even-horizontal"},
		{argv: []string{"select-layout"}, calls: "layout {1 2 3} "},
		{argv: []string{"select-layout", "-E", "-t", "%3"}, calls: "spread {1 2 3}"},
		{argv: []string{"select-layout", "-o"}, calls: "undo-layout {1 2 3}"},
		{argv: []string{"select-layout", "-p"}, calls: "step-layout {1 2 3} -1"},
		{argv: []string{"nextl", "-t", "dev:1"}, calls: "step-layout {1 2 3} 1"},
		{argv: []string{"previous-layout"}, calls: "step-layout {1 2 3} -1"},
		{argv: []string{"next-layout", "-E"}, err: "command next-layout: unknown flag -E\nusage: next-layout [-t target-window]"},
		{argv: []string{"rotate-window"}, calls: "rotate {1 2 3} down=false zoom=false"},
		{argv: []string{"rotatew", "-DZ"}, calls: "rotate {1 2 3} down=true zoom=true"},
		{argv: []string{"break-pane", "-d", "-n", "logs", "-t", "dev:4", "-P"}, out: "dev:.\n",
			calls: "break {1 2 3} {1 2 3} {Name:logs Index:4 After:false Before:false Detach:true}"},
		{argv: []string{"breakp", "-s", "%3", "-t", "other"}, calls: "break {1 2 3} {1 2 3} {Name: Index:-1 After:false Before:false Detach:false}"},
		{argv: []string{"break-pane", "-s", "nope"}, err: "can't find session: nope"},
		{argv: []string{"display-panes"}, err: "no current client"},
		{argv: []string{"suspendc"}, err: "suspend-client: a gosh client suspends itself: press Ctrl-^ Ctrl-Z"},
		{argv: []string{"movew", "-k", "-s", "dev:1", "-t", "dev:3"}, calls: "move {1 2 3} {1 2 3} {Index:3 After:false Before:false Detach:false Kill:true}"},
		{argv: []string{"move-window", "-r"}, calls: "renumber {1 2 3}"},
		{argv: []string{"next-window", "-a"}, err: "no next window"},
		{argv: []string{"prev", "-a"}, err: "no previous window"},
		{argv: []string{"kill-pane", "-a"}, calls: "kill-pane {1 2 4}"},
		{argv: []string{"set", "-g", "remain-on-exit", "on"}, calls: "set {0 0 0} true remain-on-exit=on"},
		{argv: []string{"neww", "-t", "dev:4", "-n", "logs"}, calls: "new-window {1 2 3} {Name:logs Dir: Index:4 After:false Before:false Kill:false Detach:false Command:[] Env:map[]}"},
		{argv: []string{"selectw", "-n", "-t", "dev"}, calls: "select-window {1 2 3}"},
		{argv: []string{"ls"}, out: "dev:  windows (created )\n"},
		{argv: []string{"lsw", "x"}, err: "too many arguments (need at most 0)"},
		{argv: []string{"frobnicate"}, err: "unknown command: frobnicate"},
		{argv: []string{"kill-s"}, err: "ambiguous command: kill-s"},
	}
	for _, tt := range tests {
		e := &recEnv{}
		err := Run(context.Background(), e, tt.argv)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.argv, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.argv, err)
			continue
		}
		if tt.calls != "" && (len(e.calls) == 0 || e.calls[len(e.calls)-1] != tt.calls) {
			t.Errorf("%q: calls %q, want last %q", tt.argv, e.calls, tt.calls)
		}
		if tt.out != "" && e.out.String() != tt.out {
			t.Errorf("%q: out %q, want %q", tt.argv, e.out.String(), tt.out)
		}
	}
}

func TestTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Table() {
		for _, n := range []string{c.Name, c.Alias} {
			if n == "" {
				continue
			}
			if seen[n] {
				t.Errorf("name %q used twice", n)
			}
			seen[n] = true
		}
		if c.Exec == nil {
			t.Errorf("%s has no Exec", c.Name)
		}
		// every flag in the usage line is in the template
		for _, f := range strings.Fields(c.Usage) {
			if strings.HasPrefix(f, "[-") {
				for _, ch := range strings.Trim(f, "[-]") {
					if !strings.ContainsRune(c.Flags, ch) {
						t.Errorf("%s: usage mentions -%c not in template %q", c.Name, ch, c.Flags)
					}
				}
			}
		}
	}
	for _, tmuxAlias := range []string{"new", "ls", "neww", "splitw", "selectp", "selectw", "killp", "swapp", "send", "display", "lsp", "lsw", "has",
		"nextl", "prevl", "rotatew", "breakp", "lastp", "last", "displayp"} {
		if _, err := Lookup(tmuxAlias); err != nil {
			t.Errorf("tmux alias %s: %v", tmuxAlias, err)
		}
	}
}
