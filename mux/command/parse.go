package command

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
)

// Command lines and configuration files, in tmux's syntax (tmux(1),
// "COMMAND PARSING AND EXECUTION") for what gosh supports of it:
//
//	new-window -n 'my name'; split-window -h     two commands
//	bind-key x split-window \; select-pane -L    one: \; is a ";" word
//	set -g prefix C-a   # a comment              # at a word's start
//	display-message "pane #{pane_id}"            double quotes: \" \\ \$ \n
//	source-file ~/.config/gosh/extra.conf        ~ and $VAR expand
//
// Single quotes keep their text as it is; in double quotes a backslash
// escapes the next character and $VAR expands; outside quotes a backslash
// escapes the next character, "~" at a word's start is $HOME, $VAR and
// ${VAR} expand, "#" at a word's start comments out the rest of the line,
// and a ";" at a word's end (or alone) ends the command. { } blocks and
// %if are not supported.

// Errors of ParseLine.
var (
	ErrUnterminatedQuote = errors.New("unterminated quote")
)

// ParseLine splits one command line into commands, each a list of words.
// Empty commands (";;", a comment) are left out.
func ParseLine(line string) ([][]string, error) {
	p := lineParser{line: line}
	return p.parse()
}

type lineParser struct {
	line string
	i    int
}

func (p *lineParser) parse() ([][]string, error) {
	var cmds [][]string
	var argv []string
	end := func() {
		if len(argv) > 0 {
			cmds = append(cmds, argv)
			argv = nil
		}
	}
	for {
		p.skipBlanks()
		if p.i >= len(p.line) {
			break
		}
		switch p.line[p.i] {
		case '#':
			end()
			return cmds, nil
		case ';':
			p.i++
			end()
			continue
		}
		w, last, err := p.word()
		if err != nil {
			return nil, err
		}
		argv = append(argv, w)
		if last {
			end()
		}
	}
	end()
	return cmds, nil
}

func (p *lineParser) skipBlanks() {
	for p.i < len(p.line) && (p.line[p.i] == ' ' || p.line[p.i] == '\t' || p.line[p.i] == '\n' || p.line[p.i] == '\r') {
		p.i++
	}
}

// word reads one word; last reports that an unquoted ';' ended it, and
// with it the command.
func (p *lineParser) word() (w string, last bool, err error) {
	var b strings.Builder
	if p.line[p.i] == '~' {
		if err := p.tilde(&b); err != nil {
			return "", false, err
		}
	}
	for p.i < len(p.line) {
		c := p.line[p.i]
		switch c {
		case ' ', '\t', '\n', '\r':
			return b.String(), false, nil
		case ';':
			p.i++
			return b.String(), true, nil
		case '\'':
			j := strings.IndexByte(p.line[p.i+1:], '\'')
			if j < 0 {
				return "", false, ErrUnterminatedQuote
			}
			b.WriteString(p.line[p.i+1 : p.i+1+j])
			p.i += j + 2
		case '"':
			p.i++
			if err := p.doubleQuoted(&b); err != nil {
				return "", false, err
			}
		case '\\':
			p.i++
			if p.i < len(p.line) {
				b.WriteByte(p.line[p.i])
				p.i++
			}
		case '$':
			p.variable(&b)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return b.String(), false, nil
}

// doubleQuoted reads a double-quoted string's text after the quote.
func (p *lineParser) doubleQuoted(b *strings.Builder) error {
	for p.i < len(p.line) {
		c := p.line[p.i]
		switch c {
		case '"':
			p.i++
			return nil
		case '\\':
			p.i++
			if p.i < len(p.line) {
				switch e := p.line[p.i]; e {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'e':
					b.WriteByte(0x1b)
				default:
					b.WriteByte(e)
				}
				p.i++
			}
		case '$':
			p.variable(b)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return ErrUnterminatedQuote
}

// variable expands $NAME or ${NAME} from the environment; a '$' that
// starts no name is itself.
func (p *lineParser) variable(b *strings.Builder) {
	rest := p.line[p.i+1:]
	braced := strings.HasPrefix(rest, "{")
	if braced {
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && (rest[n] == '_' || isAlnum(rest[n])) && (n > 0 || rest[n] > '9') {
		n++
	}
	if n == 0 || (braced && (n >= len(rest) || rest[n] != '}')) {
		b.WriteByte('$')
		p.i++
		return
	}
	b.WriteString(os.Getenv(rest[:n]))
	p.i += 1 + n
	if braced {
		p.i += 2
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tilde expands the "~" or "~user" that starts a word, as tmux's
// yylex_token_tilde: the name runs to a '/', a blank, a quote or a ';';
// "~" is $HOME, "~user" that user's home directory, and a user that does
// not exist is an error (tmux's syntax error) rather than a path that
// silently names nothing.
func (p *lineParser) tilde(b *strings.Builder) error {
	end := p.i + 1
	for end < len(p.line) && !strings.ContainsRune("/ \t\n\r\"';", rune(p.line[end])) {
		end++
	}
	name := p.line[p.i+1 : end]
	p.i = end
	if name == "" {
		if h, err := os.UserHomeDir(); err == nil {
			b.WriteString(h)
		} else {
			b.WriteByte('~')
		}
		return nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("unknown user: ~%s", name)
	}
	b.WriteString(u.HomeDir)
	return nil
}

// SplitSequence splits argv at its ";" words into commands: a binding's
// command line and a command given as arguments hold their commands so
// (bind-key x new-window \; split-window). Empty commands are left out.
func SplitSequence(argv []string) [][]string {
	var out [][]string
	start := 0
	for i, w := range argv {
		if w == ";" {
			if i > start {
				out = append(out, argv[start:i])
			}
			start = i + 1
		}
	}
	if start < len(argv) {
		out = append(out, argv[start:])
	}
	return out
}

// JoinLine writes argv back as a command line that ParseLine (then
// SplitSequence) reads as argv: words quoted where the syntax needs it,
// ";" words as "\;", as tmux's list-keys prints a binding's commands.
func JoinLine(argv []string) string {
	var b strings.Builder
	for i, w := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteWord(w))
	}
	return b.String()
}

// quoteWord quotes w for ParseLine when it holds blanks or syntax.
func quoteWord(w string) string {
	switch {
	case w == ";":
		return `\;`
	case w == "":
		return "''"
	case !strings.ContainsAny(w, " \t\n\r'\"\\;#$~{}"):
		return w
	case !strings.Contains(w, "'"):
		return "'" + w + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`)
	return `"` + r.Replace(w) + `"`
}

// ConfigCommand is one command of a configuration file, with the line it
// starts on.
type ConfigCommand struct {
	Line int
	Argv []string
}

// ConfigError is a line of a configuration file that cannot be parsed or
// run, named as tmux names it ("gosh.conf:3: unknown command: foo").
type ConfigError struct {
	File string
	Line int
	Err  error
}

func (e *ConfigError) Error() string {
	msg, _, _ := strings.Cut(e.Err.Error(), "\n") // not the usage line
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// maxConfigLine bounds one logical line of a configuration file (its
// continued lines together).
const maxConfigLine = 1 << 20

// ParseConfig reads a configuration file: one command line per line, a
// line ending in an unescaped backslash continued on the next, "#"
// comments. It returns the commands of every line it could parse, and a
// ConfigError (file named as given) for each line it could not: a bad
// line does not hide the others.
func ParseConfig(file string, r io.Reader) ([]ConfigCommand, []error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxConfigLine)
	var cmds []ConfigCommand
	var errs []error
	var logical strings.Builder
	n, start := 0, 0
	flush := func() {
		line := logical.String()
		logical.Reset()
		parsed, err := ParseLine(line)
		if err != nil {
			errs = append(errs, &ConfigError{File: file, Line: start, Err: err})
			return
		}
		for _, argv := range parsed {
			cmds = append(cmds, ConfigCommand{Line: start, Argv: argv})
		}
	}
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if logical.Len() == 0 {
			start = n
		}
		if continued(line) {
			logical.WriteString(line[:len(line)-1])
			if logical.Len() > maxConfigLine {
				errs = append(errs, &ConfigError{File: file, Line: start, Err: errors.New("line too long")})
				logical.Reset()
			}
			continue
		}
		logical.WriteString(line)
		flush()
	}
	if logical.Len() > 0 {
		flush()
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, &ConfigError{File: file, Line: n + 1, Err: err})
	}
	return cmds, errs
}

// continued reports whether line ends in a backslash that is not itself
// escaped (an odd run of them), and is no comment's.
func continued(line string) bool {
	n := 0
	for n < len(line) && line[len(line)-1-n] == '\\' {
		n++
	}
	if n%2 == 0 {
		return false
	}
	// "# a comment \" continues nothing in tmux either way; a comment
	// line is the common case worth getting right.
	return !strings.HasPrefix(strings.TrimLeft(line, " \t"), "#")
}
