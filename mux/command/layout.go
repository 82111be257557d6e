package command

import (
	"context"
	"errors"
	"io"
)

// Layout files: apply-layout and save-layout, gosh's own commands behind
// "gosh layout apply" and "gosh layout save" (tmuxinator and tmuxp do this
// from outside tmux, by typing commands; gosh does it in the daemon so that
// an apply is one command, atomic with respect to every other command).

// ApplyLayoutOptions configure apply-layout.
type ApplyLayoutOptions struct {
	// File names the layout file in error messages; it is read (relative
	// to the client's directory) only when Content is nil.
	File    string
	Content []byte
	// Session, when set, applies only the file's session of that name, or
	// the file's only session under that name.
	Session string
	// Width and Height size new sessions (0: the server's default).
	Width, Height int
	// DryRun computes the plan and changes nothing.
	DryRun bool
	// Prune kills the windows of an applied session that the file does
	// not list; without it they are kept.
	Prune bool
}

// Layouts is implemented by an Env that can apply and save layout files.
// It is a separate interface so that Env stays small.
type Layouts interface {
	// ApplyLayout creates or updates sessions from a layout file and
	// returns the plan: one line per action, such as "create session dev",
	// "create pane dev:editor.1 39x24", "run 'vim' in dev:editor.0" or
	// "keep dev:logs". Errors in the file name its file, line and field.
	ApplyLayout(o ApplyLayoutOptions) ([]string, error)
	// SaveLayout writes r's session as a layout file.
	SaveLayout(r Ref) ([]byte, error)
}

func layouts(e Env) (Layouts, error) {
	l, ok := e.(Layouts)
	if !ok {
		return nil, errors.New("layout files are not supported by this server")
	}
	return l, nil
}

// applyLayout is "apply-layout [-nk] [-t session] [-x width] [-y height]
// file [content]". The gosh CLI sends the file's content along; without it
// the daemon reads the file itself (which is what a key binding wants).
func applyLayout(_ context.Context, e Env, a *Args) error {
	l, err := layouts(e)
	if err != nil {
		return err
	}
	w, err := a.Int('x', 0)
	if err != nil {
		return err
	}
	h, err := a.Int('y', 0)
	if err != nil {
		return err
	}
	o := ApplyLayoutOptions{File: a.Positional[0], Session: a.Value('t'), Width: w, Height: h,
		DryRun: a.Has('n'), Prune: a.Has('k')}
	if len(a.Positional) > 1 {
		o.Content = []byte(a.Positional[1])
	}
	plan, err := l.ApplyLayout(o)
	if err != nil {
		return err
	}
	if o.DryRun {
		for _, line := range plan {
			io.WriteString(e.Stdout(), line+"\n")
		}
	}
	return nil
}

// saveLayout is "save-layout [-t target-session]": the session as YAML on
// stdout.
func saveLayout(_ context.Context, e Env, a *Args) error {
	l, err := layouts(e)
	if err != nil {
		return err
	}
	r, err := e.Find(a.Value('t'), KindSession)
	if err != nil {
		return err
	}
	b, err := l.SaveLayout(r)
	if err != nil {
		return err
	}
	_, err = e.Stdout().Write(b)
	return err
}
