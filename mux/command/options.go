package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Option is one line of show-options.
type Option struct {
	Name, Value string
	// Inherited says the value comes from a parent scope (-A shows such
	// options, their names marked with "*").
	Inherited bool
}

// ShowOptions select what show-options lists.
type ShowOptions struct {
	Global    bool   // -g: the global values
	Window    bool   // -w: window options instead of session options
	Server    bool   // -s: server options
	Inherited bool   // -A: also the values inherited from above
	Quiet     bool   // -q: no error for an unknown option
	Name      string // one option; "" for all of the scope
}

// OptionToggler is implemented by an Env that can toggle a flag option
// (set-option with no value).
type OptionToggler interface {
	ToggleOption(r Ref, global bool, name string) error
}

// OptionLister is implemented by an Env that can list its options.
type OptionLister interface {
	ShowOptions(r Ref, o ShowOptions) ([]Option, error)
}

// Message is one entry of the server's message log.
type Message struct {
	Time time.Time
	Text string
}

// Messages is implemented by an Env whose clients have status lines
// (tmux's status_message_set and message log).
type Messages interface {
	// DisplayMessage shows msg on a client's status line for delay
	// milliseconds (-1: display-time): the client named client, or else
	// the attached client running the command, or else the most recently
	// active client attached to r's session. It reports false, and shows
	// nothing, when there is no such client.
	DisplayMessage(r Ref, client, msg string, delay int) (bool, error)
	// MessageLog returns the server's message log, oldest first.
	MessageLog() []Message
}

func setWindowOption(ctx context.Context, e Env, a *Args) error {
	a.flags['w'] = append(a.flags['w'], "")
	return setOption(ctx, e, a)
}

func showOptions(_ context.Context, e Env, a *Args) error {
	ol, ok := e.(OptionLister)
	if !ok {
		return errors.New("no options")
	}
	o := ShowOptions{Global: a.Has('g'), Window: a.Has('w'), Server: a.Has('s'),
		Inherited: a.Has('A'), Quiet: a.Has('q')}
	if len(a.Positional) == 1 {
		o.Name = a.Positional[0]
	}
	var r Ref
	if !o.Global && !o.Server {
		kind := KindSession
		if o.Window {
			kind = KindWindow
		}
		var err error
		if r, err = e.Find(a.Value('t'), kind); err != nil {
			return err
		}
	}
	opts, err := ol.ShowOptions(r, o)
	if err != nil {
		return err
	}
	for _, opt := range opts {
		if a.Has('v') {
			io.WriteString(e.Stdout(), opt.Value+"\n")
			continue
		}
		name := opt.Name
		if opt.Inherited {
			name += "*"
		}
		fmt.Fprintf(e.Stdout(), "%s %s\n", name, quoteOptionValue(opt.Value))
	}
	return nil
}

func showWindowOptions(ctx context.Context, e Env, a *Args) error {
	a.flags['w'] = append(a.flags['w'], "")
	return showOptions(ctx, e, a)
}

// quoteOptionValue quotes a value as tmux's show-options does when it
// holds blanks or characters its parser would take for syntax.
func quoteOptionValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\"'#;$\\{}~") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)
	return `"` + r.Replace(v) + `"`
}

// ctimeLayout is C's ctime(3) without its newline, as show-messages prints
// each message's time.
const ctimeLayout = "Mon Jan _2 15:04:05 2006"

// showMessages prints the message log, as tmux's show-messages. Its -J
// (jobs) prints nothing more: gosh runs no background jobs. tmux's -T
// (terminal capabilities) has no gosh counterpart: the client's terminal
// is the client's business, over SSP.
func showMessages(_ context.Context, e Env, _ *Args) error {
	m, ok := e.(Messages)
	if !ok {
		return errors.New("no messages")
	}
	for _, msg := range m.MessageLog() {
		fmt.Fprintf(e.Stdout(), "%s %s\n", msg.Time.Format(ctimeLayout), msg.Text)
	}
	return nil
}
