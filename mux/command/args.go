package command

import (
	"fmt"
	"strconv"
	"strings"
)

// Args are a command's parsed arguments: flags from its template and the
// positional arguments after them.
type Args struct {
	flags      map[byte][]string
	Positional []string
}

// Has reports whether flag f was given.
func (a *Args) Has(f byte) bool { _, ok := a.flags[f]; return ok }

// Value returns the last value given for flag f, or "".
func (a *Args) Value(f byte) string {
	v := a.flags[f]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// Values returns every value given for flag f, in order (tmux's -e may
// repeat).
func (a *Args) Values(f byte) []string { return a.flags[f] }

// Int returns flag f's value as an integer; def when the flag is absent.
func (a *Args) Int(f byte, def int) (int, error) {
	if !a.Has(f) {
		return def, nil
	}
	n, err := strconv.Atoi(a.Value(f))
	if err != nil {
		return 0, fmt.Errorf("-%c %s invalid", f, a.Value(f))
	}
	return n, nil
}

// ParseArgs parses argv (without the command name) against a tmux flag
// template: each letter is a flag, a letter followed by ':' takes a value.
// As in getopt(3) and tmux's arguments.c, flags may be grouped ("-dh"),
// values may be attached ("-tdev") or separate ("-t dev"), and parsing stops
// at "--" or at the first argument that does not start with '-'. A lone "-"
// is positional. min and max bound the positional arguments (max < 0:
// unbounded).
func ParseArgs(template string, argv []string, min, max int) (*Args, error) {
	a := &Args{flags: map[byte][]string{}}
	i := 0
	for ; i < len(argv); i++ {
		s := argv[i]
		if s == "--" {
			i++
			break
		}
		if len(s) < 2 || s[0] != '-' {
			break
		}
		for j := 1; j < len(s); j++ {
			f := s[j]
			k := strings.IndexByte(template, f)
			if f == ':' || k < 0 {
				return nil, fmt.Errorf("unknown flag -%c", f)
			}
			if k+1 < len(template) && template[k+1] == ':' {
				v := s[j+1:]
				if v == "" {
					if i+1 >= len(argv) {
						return nil, fmt.Errorf("-%c expects an argument", f)
					}
					i++
					v = argv[i]
				}
				a.flags[f] = append(a.flags[f], v)
				break
			}
			a.flags[f] = append(a.flags[f], "")
		}
	}
	a.Positional = append([]string(nil), argv[i:]...)
	if n := len(a.Positional); n < min {
		return nil, fmt.Errorf("too few arguments (need at least %d)", min)
	} else if max >= 0 && n > max {
		return nil, fmt.Errorf("too many arguments (need at most %d)", max)
	}
	return a, nil
}
