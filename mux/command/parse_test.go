package command

import (
	"errors"
	"os/user"
	"reflect"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	t.Setenv("GOSH_TEST_VAR", "v a l")
	tests := []struct {
		line string
		want [][]string
	}{
		{"", nil},
		{"  # only a comment", nil},
		{"new-window", [][]string{{"new-window"}}},
		{"new-window -n 'my name'", [][]string{{"new-window", "-n", "my name"}}},
		{`neww; splitw -h ;selectp -L`, [][]string{{"neww"}, {"splitw", "-h"}, {"selectp", "-L"}}},
		{`neww ;; ; splitw`, [][]string{{"neww"}, {"splitw"}}},
		{`bind x splitw \; selectp -L`, [][]string{{"bind", "x", "splitw", ";", "selectp", "-L"}}},
		{`set -g prefix C-a # the prefix`, [][]string{{"set", "-g", "prefix", "C-a"}}},
		{`display "pane #{pane_id}" a#b`, [][]string{{"display", "pane #{pane_id}", "a#b"}}},
		{`send "a\"b\\c\$d\te"`, [][]string{{"send", "a\"b\\c$d\te"}}},
		{`send 'it'\''s' "x"'y'z`, [][]string{{"send", "it's", "xyz"}}},
		{`source ~/gosh.conf '~/x' a~b`, [][]string{{"source", "/home/u/gosh.conf", "~/x", "a~b"}}},
		{`echo $GOSH_TEST_VAR "${GOSH_TEST_VAR}" '$GOSH_TEST_VAR' $ ${x $1`, [][]string{{"echo", "v a l", "v a l", "$GOSH_TEST_VAR", "$", "${x", "$1"}}},
		{`bind \# list-keys`, [][]string{{"bind", "#", "list-keys"}}},
		{"a\tb  c", [][]string{{"a", "b", "c"}}},
		{`trailing\`, [][]string{{"trailing"}}},
	}
	for _, tt := range tests {
		got, err := ParseLine(tt.line)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseLine(%q) = %q, %v; want %q", tt.line, got, err, tt.want)
		}
	}
	// ~user, as tmux: that user's home; a user that does not exist is
	// an error, not $HOME with the name after it.
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ParseLine("source ~" + me.Username + "/x ~" + me.Username); err != nil || !reflect.DeepEqual(got, [][]string{{"source", me.HomeDir + "/x", me.HomeDir}}) {
		t.Errorf("~%s: %q, %v; want %s", me.Username, got, err, me.HomeDir)
	}
	if _, err := ParseLine("source ~no-such-gosh-user/x"); err == nil || err.Error() != "unknown user: ~no-such-gosh-user" {
		t.Errorf("~no-such-gosh-user: %v", err)
	}
	for _, bad := range []string{`a 'b`, `a "b`, `a "b\"`} {
		if _, err := ParseLine(bad); !errors.Is(err, ErrUnterminatedQuote) {
			t.Errorf("ParseLine(%q): %v, want ErrUnterminatedQuote", bad, err)
		}
	}
}

func TestSplitSequence(t *testing.T) {
	got := SplitSequence([]string{";", "a", "-x", ";", ";", "b", ";"})
	if want := [][]string{{"a", "-x"}, {"b"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := SplitSequence(nil); got != nil {
		t.Errorf("SplitSequence(nil) = %q", got)
	}
}

// TestJoinLine: a binding's command is kept as JoinLine's line and run
// through ParseLine, which must give back the words.
func TestJoinLine(t *testing.T) {
	argvs := [][]string{
		{"split-window", "-h", ";", "select-pane", "-L"},
		{"display", "#{pane_id} is $HOME's ~"},
		{"send", "it's", `a"b\c`, "", "x;y", "tab\there", "new\nline"},
		{"command-prompt", "-I", "#W", "rename-window -- '%%'"},
	}
	for _, argv := range argvs {
		line := JoinLine(argv)
		got, err := ParseLine(line)
		if err != nil || !reflect.DeepEqual(got, [][]string{argv}) {
			t.Errorf("ParseLine(JoinLine(%q)) = ParseLine(%q) = %q, %v", argv, line, got, err)
		}
	}
	if got := JoinLine([]string{"split-window", "-h", ";", "select-pane", "-L"}); got != `split-window -h \; select-pane -L` {
		t.Errorf("JoinLine = %q, want tmux's list-keys form", got)
	}
}

func TestParseConfig(t *testing.T) {
	file := `# gosh.conf
set -g prefix C-a
bind x \
  split-window -h \
  \; select-pane -L
bad 'quote
neww; splitw   # two on one line
set -g status-left "a\\"
# a comment \
not continued
`
	cmds, errs := ParseConfig("gosh.conf", strings.NewReader(file))
	want := []ConfigCommand{
		{2, []string{"set", "-g", "prefix", "C-a"}},
		{3, []string{"bind", "x", "split-window", "-h", ";", "select-pane", "-L"}},
		{7, []string{"neww"}},
		{7, []string{"splitw"}},
		{8, []string{"set", "-g", "status-left", `a\`}},
		{10, []string{"not", "continued"}},
	}
	if !reflect.DeepEqual(cmds, want) {
		t.Errorf("commands:\n got %v\nwant %v", cmds, want)
	}
	if len(errs) != 1 || errs[0].Error() != "gosh.conf:6: unterminated quote" {
		t.Errorf("errors: %v", errs)
	}
	var ce *ConfigError
	if !errors.As(errs[0], &ce) || ce.Line != 6 || !errors.Is(errs[0], ErrUnterminatedQuote) {
		t.Errorf("error %#v is not a ConfigError for line 6", errs[0])
	}
	// CRLF line ends, and a last line without one.
	cmds, errs = ParseConfig("f", strings.NewReader("neww\r\nsplitw -h \\\r\n -b"))
	if want := []ConfigCommand{{1, []string{"neww"}}, {2, []string{"splitw", "-h", "-b"}}}; !reflect.DeepEqual(cmds, want) || errs != nil {
		t.Errorf("CRLF: %v %v", cmds, errs)
	}
}

// FuzzParseConfig: any file parses without a panic, every error names
// the file and a line within it, and each command's words survive
// JoinLine and ParseLine (what bind-key keeps and runs).
func FuzzParseConfig(f *testing.F) {
	f.Add("set -g prefix C-a\nbind x splitw \\; selectp -L # c\n")
	f.Add("a 'b\nc \"d\\\"\" e\\\nf;g")
	f.Add("~ $HOME ${HOME} '\\'' \"\\n\\e\" #x\n\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		cmds, errs := ParseConfig("f.conf", strings.NewReader(text))
		lines := strings.Count(text, "\n") + 1
		for _, err := range errs {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.File != "f.conf" || ce.Line < 1 || ce.Line > lines {
				t.Fatalf("error %v: not a ConfigError within the file's %d lines", err, lines)
			}
		}
		for _, c := range cmds {
			if len(c.Argv) == 0 || c.Line < 1 || c.Line > lines {
				t.Fatalf("command %q at line %d of %d", c.Argv, c.Line, lines)
			}
			line := JoinLine(c.Argv)
			got, err := ParseLine(line)
			if err != nil || !reflect.DeepEqual(got, [][]string{c.Argv}) {
				t.Fatalf("ParseLine(JoinLine(%q)) = ParseLine(%q) = %q, %v", c.Argv, line, got, err)
			}
		}
	})
}
