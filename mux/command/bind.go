package command

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// This file holds bind-key, unbind-key, send-prefix and source-file.

// KeyBinder is implemented by an Env whose key tables can change: as in
// tmux, the server's, shared by every client.
type KeyBinder interface {
	// BindKey binds b.Key in b.Table (created if new) to b.Command,
	// replacing any binding it had; the key is any name tmux takes
	// ("C-a", "^A", "F5").
	BindKey(b KeyBinding) error
	// SetKeyNote sets the note of key's binding in table (bind-key -N
	// without a command).
	SetKeyNote(table, key, note string) error
	// UnbindKey removes key's binding from table; a key not bound is no
	// error, a table that does not exist is.
	UnbindKey(table, key string) error
	// UnbindAll removes every binding of table (unbind-key -a).
	UnbindAll(table string) error
}

// PrefixSender is implemented by an Env that knows the prefix keys
// (send-prefix).
type PrefixSender interface {
	// PrefixKey returns the prefix key's name (prefix2's with second),
	// "" when it is None.
	PrefixKey(second bool) string
}

// handledByClient are the command names a binding may run that are no
// command of the table: the client's input state carries them out.
var handledByClient = map[string]bool{"confirm-before": true}

// bindTable is the table bind-key and unbind-key act on: -T, or root
// for -n, or prefix.
func bindTable(a *Args) string {
	switch {
	case a.Has('T'):
		return a.Value('T')
	case a.Has('n'):
		return "root"
	}
	return "prefix"
}

// checkCommands checks each command of argv (a binding's, separated by
// ";" words) as Run would parse it, so that a bad binding fails when it
// is made, as tmux's does, rather than when its key is pressed.
func checkCommands(argv []string) error {
	cmds := SplitSequence(argv)
	if len(cmds) == 0 {
		return errors.New("no command")
	}
	for _, c := range cmds {
		if handledByClient[c[0]] {
			continue
		}
		cmd, err := Lookup(c[0])
		if err != nil {
			return err
		}
		if _, err := ParseArgs(cmd.Flags, c[1:], cmd.Min, cmd.Max); err != nil {
			return fmt.Errorf("command %s: %v", cmd.Name, err)
		}
	}
	return nil
}

func bindKey(_ context.Context, e Env, a *Args) error {
	kb, ok := e.(KeyBinder)
	if !ok {
		return errors.New("no key tables")
	}
	table, key := bindTable(a), a.Positional[0]
	if table == "" {
		return errors.New("no key table")
	}
	argv := a.Positional[1:]
	if len(argv) == 0 {
		if a.Has('N') {
			return kb.SetKeyNote(table, key, a.Value('N'))
		}
		return errors.New("no command")
	}
	if len(argv) == 1 {
		var err error
		if argv, err = oneStringCommands(argv[0]); err != nil {
			return err
		}
	}
	if err := checkCommands(argv); err != nil {
		return err
	}
	return kb.BindKey(KeyBinding{Table: table, Key: key, Command: JoinLine(argv), Repeat: a.Has('r'), Note: a.Value('N')})
}

// oneStringCommands reads a binding given as one argument as a command
// line, as tmux's bind-key does (cmd_parse_from_string when there is one
// argument): bind x 'new-window -n x; split-window' is two commands. It
// returns them as one argv, ";" words between them.
func oneStringCommands(line string) ([]string, error) {
	cmds, err := ParseLine(line)
	if err != nil {
		return nil, err
	}
	var argv []string
	for i, c := range cmds {
		if i > 0 {
			argv = append(argv, ";")
		}
		argv = append(argv, c...)
	}
	return argv, nil
}

func unbindKey(_ context.Context, e Env, a *Args) error {
	kb, ok := e.(KeyBinder)
	if !ok {
		return errors.New("no key tables")
	}
	table := bindTable(a)
	var err error
	switch {
	case a.Has('a'):
		if len(a.Positional) > 0 {
			return errors.New("key given with -a")
		}
		err = kb.UnbindAll(table)
	case len(a.Positional) == 0:
		return errors.New("missing key")
	default:
		err = kb.UnbindKey(table, a.Positional[0])
	}
	if a.Has('q') {
		return nil
	}
	return err
}

func sendPrefix(_ context.Context, e Env, a *Args) error {
	ps, ok := e.(PrefixSender)
	if !ok {
		return errors.New("no prefix key")
	}
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	name := ps.PrefixKey(a.Has('2'))
	if name == "" {
		return nil
	}
	b, ok := EncodeKey(name, e.KeyModes(r))
	if !ok {
		return fmt.Errorf("unknown key: %s", name)
	}
	return e.Send(r, b)
}

// maxSourceDepth bounds source-file within source-file, as tmux's 50: a
// file that sources itself ends with an error, not a stack overflow.
const maxSourceDepth = 50

type sourceDepthKey struct{}

// sourceFile runs the commands of configuration files (ParseConfig),
// each path a glob relative to the client's directory, as tmux's
// source-file. Every line runs even after a bad one; the errors, each
// naming its file and line, are returned together. -q: a missing file
// is no error; -n: parse only; -v: print each command before it runs.
func sourceFile(ctx context.Context, e Env, a *Args) error {
	depth, _ := ctx.Value(sourceDepthKey{}).(int)
	if depth >= maxSourceDepth {
		return errors.New("too many nested files")
	}
	ctx = context.WithValue(ctx, sourceDepthKey{}, depth+1)
	var errs []error
	for _, pattern := range a.Positional {
		paths, err := sourcePaths(e, pattern)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(paths) == 0 {
			if !a.Has('q') {
				errs = append(errs, fmt.Errorf("%s: %v", pattern, os.ErrNotExist))
			}
			continue
		}
		for _, p := range paths {
			errs = append(errs, SourceFile(ctx, e, p, a.Has('n'), a.Has('v'))...)
		}
	}
	return errors.Join(errs...)
}

// sourcePaths expands a source-file argument: ~, $VAR (ParseLine has
// done so for a config file's line; an argument from a shell is done),
// then a glob relative to the client's directory. A name that is no glob
// is returned as is, existing or not.
func sourcePaths(e Env, pattern string) ([]string, error) {
	if strings.HasPrefix(pattern, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			pattern = filepath.Join(h, pattern[2:])
		}
	}
	if !filepath.IsAbs(pattern) && e.Cwd() != "" {
		pattern = filepath.Join(e.Cwd(), pattern)
	}
	if !strings.ContainsAny(pattern, "*?[") {
		if _, err := os.Stat(pattern); err != nil {
			return nil, nil
		}
		return []string{pattern}, nil
	}
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", pattern, err)
	}
	return paths, nil
}

// SourceFile runs the commands of the configuration file at path with e,
// one after another, and returns a ConfigError for each line that could
// not be parsed or whose command failed; the daemon runs its
// configuration file so at start. With parseOnly nothing runs; with
// verbose each command is printed first, as tmux's source-file -v.
func SourceFile(ctx context.Context, e Env, path string, parseOnly, verbose bool) []error {
	f, err := os.Open(path)
	if err != nil {
		return []error{err}
	}
	defer f.Close()
	cmds, errs := ParseConfig(path, f)
	for _, c := range cmds {
		if parseOnly {
			// -n: what Run would refuse before running anything.
			if err := checkCommands(c.Argv); err != nil {
				errs = append(errs, &ConfigError{File: path, Line: c.Line, Err: err})
			}
			continue
		}
		if verbose {
			fmt.Fprintf(e.Stdout(), "%s:%d: %s\n", path, c.Line, JoinLine(c.Argv))
		}
		var nested *ConfigError
		switch err := Run(ctx, e, c.Argv); {
		case errors.As(err, &nested):
			errs = append(errs, err) // a source-file's: it names its own file and line
		case err != nil:
			errs = append(errs, &ConfigError{File: path, Line: c.Line, Err: err})
		}
	}
	return sortErrors(errs)
}

// sortErrors orders ConfigErrors by line: parse errors are found before
// the commands run.
func sortErrors(errs []error) []error {
	line := func(err error) int {
		var ce *ConfigError
		if errors.As(err, &ce) {
			return ce.Line
		}
		return 0
	}
	slices.SortStableFunc(errs, func(a, b error) int { return line(a) - line(b) })
	return errs
}
