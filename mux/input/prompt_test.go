package input_test

import (
	"testing"

	"github.com/goshterm/gosh/mux/input"
)

func TestCommandPromptEditsAndRuns(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	in.StartPrompt(input.CommandPrompt{Label: "(rename-window) ", Input: "vim #1", Template: "rename-window -- '%%'"})
	// Shown as a format that prints the text as it is.
	if p := in.Prompt(); p != "(rename-window) vim ##1" {
		t.Errorf("prompt = %q", p)
	}
	// BSpace twice, a word, an apostrophe; keys reach no pane meanwhile.
	if got := show(in.Feed(ctx, []byte("\x7f\x7f\x7fit's"), t0)); got != "" {
		t.Errorf("editing acted: %s", got)
	}
	if p := in.Prompt(); p != "(rename-window) vimit's" {
		t.Errorf("after editing prompt = %q", p)
	}
	// Enter runs the template with the answer quoted for '…'.
	if got := show(in.Feed(ctx, []byte("\r"), t0)); got != `cmd rename-window -- 'vimit'\''s'` {
		t.Errorf("Enter gave %s", got)
	}
	if in.Prompt() != "" {
		t.Error("prompt still shown after Enter")
	}
	if got := show(in.Feed(ctx, []byte("ls"), t0)); got != `send 0 "ls"` {
		t.Errorf("after the prompt keys gave %s", got)
	}
}

func TestCommandPromptCancelsAndClears(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	// ":" with no template: the answer is the command line.
	in.StartPrompt(input.CommandPrompt{Label: ":"})
	in.Feed(ctx, []byte("kill-server\x15split-window -h  junk words\x17\x17"), t0) // C-u, C-w
	if p := in.Prompt(); p != ":split-window -h  " {
		t.Errorf("after C-u and C-w: %q", p)
	}
	if got := show(in.Feed(ctx, []byte("\r"), t0)); got != "cmd split-window -h  " {
		t.Errorf("Enter gave %q", got)
	}
	// Escape (a lone ESC once the escape time passed) and C-c cancel.
	in.StartPrompt(input.CommandPrompt{Label: ":"})
	in.Feed(ctx, []byte("kill-server\x1b"), t0)
	if got := show(in.Flush(ctx, t0.Add(input.DefaultEscapeTime))); got != "" || in.Prompt() != "" {
		t.Errorf("Escape gave %q, prompt %q", got, in.Prompt())
	}
	in.StartPrompt(input.CommandPrompt{Label: ":"})
	if got := show(in.Feed(ctx, []byte("kill-server\x03"), t0)); got != "" || in.Prompt() != "" {
		t.Errorf("C-c gave %q, prompt %q", got, in.Prompt())
	}
	// An empty answer runs nothing.
	in.StartPrompt(input.CommandPrompt{Label: ":"})
	if got := show(in.Feed(ctx, []byte("\r"), t0)); got != "" {
		t.Errorf("empty answer ran %q", got)
	}
	// -k: one key's name is the answer.
	in.StartPrompt(input.CommandPrompt{Label: "key ", Key: true, Template: "list-keys -1N '%%'"})
	if got := show(in.Feed(ctx, []byte("\x1b[1;5A"), t0)); got != "cmd list-keys -1N 'C-Up'" {
		t.Errorf("-k prompt gave %q", got)
	}
}
