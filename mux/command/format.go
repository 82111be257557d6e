package command

import (
	"strconv"
	"strings"
	"time"
)

// Vars are the variables a format may name (tmux(1) FORMATS, "Variables"),
// as strings. A missing variable expands to "".
type Vars map[string]string

// shortAliases are tmux's single-letter format aliases.
var shortAliases = map[byte]string{
	'D': "pane_id", 'F': "window_flags", 'H': "host", 'h': "host_short",
	'I': "window_index", 'P': "pane_index", 'S': "session_name", 'T': "pane_title", 'W': "window_name",
}

// maxFormatDepth bounds nesting so that a hostile format can't recurse
// without end.
const maxFormatDepth = 32

// Expand replaces format sequences in f with values from vars, following
// tmux(1) FORMATS for the common cases:
//
//	#{name}            a variable
//	#{?cond,a,b}       a if cond (a variable or format) is non-empty and not "0", else b
//	#{==:a,b} #{!=:a,b}   "1" or "0" comparing two expanded strings
//	#{<:a,b} #{>:a,b} #{<=:a,b} #{>=:a,b}   the same, as numbers when both are
//	#{t:name}          a Unix time variable as a date ("Tue Nov 24 03:32:29 2026")
//	#{=N:name}         the first N characters (last -N when negative)
//	#{l:text}          text literally
//	#S #W #I #P #D #T #F #H #h   single-letter aliases
//	##  #,  #}         a literal '#', ',', '}'
//
// Anything it does not understand is copied or expands to "", never an error,
// as in tmux.
func Expand(f string, vars Vars) string {
	var b strings.Builder
	expandInto(&b, f, vars, 0)
	return b.String()
}

func expandInto(b *strings.Builder, f string, vars Vars, depth int) {
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '#' || i+1 >= len(f) {
			b.WriteByte(c)
			continue
		}
		n := f[i+1]
		switch {
		case n == '#' || n == ',' || n == '}':
			b.WriteByte(n)
			i++
		case n == '{':
			end := matchBrace(f, i+2)
			if end < 0 {
				b.WriteString(f[i:])
				return
			}
			if depth < maxFormatDepth {
				b.WriteString(expandItem(f[i+2:end], vars, depth+1))
			}
			i = end
		case shortAliases[n] != "":
			b.WriteString(vars[shortAliases[n]])
			i++
		default:
			b.WriteByte(c)
		}
	}
}

// matchBrace returns the index of the '}' closing a "#{" whose body starts
// at start, skipping nested "#{…}" and escaped "#}", or -1.
func matchBrace(f string, start int) int {
	depth := 0
	for i := start; i < len(f); i++ {
		switch f[i] {
		case '#':
			if i+1 < len(f) && f[i+1] == '{' {
				depth++
			}
			i++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// splitTop splits s at commas outside nested "#{…}".
func splitTop(s string, n int) []string {
	var parts []string
	depth, last := 0, 0
	for i := 0; i < len(s) && len(parts) < n-1; i++ {
		switch s[i] {
		case '#':
			if i+1 < len(s) && s[i+1] == '{' {
				depth++
			}
			i++
		case '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, s[last:i])
				last = i + 1
			}
		}
	}
	return append(parts, s[last:])
}

func expandItem(item string, vars Vars, depth int) string {
	sub := func(s string) string {
		var b strings.Builder
		expandInto(&b, s, vars, depth)
		return b.String()
	}
	// value of a condition or operand: a format, or a bare variable name
	value := func(s string) string {
		if strings.Contains(s, "#") {
			return sub(s)
		}
		return vars[s]
	}
	switch {
	case strings.HasPrefix(item, "?"):
		p := splitTop(item[1:], 3)
		cond := value(p[0])
		if cond != "" && cond != "0" {
			if len(p) > 1 {
				return sub(p[1])
			}
			return ""
		}
		if len(p) > 2 {
			return sub(p[2])
		}
		return ""
	case strings.HasPrefix(item, "==:") || strings.HasPrefix(item, "!=:"):
		p := splitTop(item[3:], 2)
		if len(p) != 2 {
			return ""
		}
		eq := sub(p[0]) == sub(p[1])
		if eq == (item[0] == '=') {
			return "1"
		}
		return "0"
	case strings.HasPrefix(item, "<=:") || strings.HasPrefix(item, ">=:") ||
		strings.HasPrefix(item, "<:") || strings.HasPrefix(item, ">:"):
		op, rest, _ := strings.Cut(item, ":")
		p := splitTop(rest, 2)
		if len(p) != 2 {
			return ""
		}
		return boolFlag(compareOp(op, sub(p[0]), sub(p[1])))
	case strings.HasPrefix(item, "l:"):
		return item[2:]
	case strings.HasPrefix(item, "t:"):
		sec, err := strconv.ParseInt(value(item[2:]), 10, 64)
		if err != nil {
			return ""
		}
		return time.Unix(sec, 0).Format("Mon Jan _2 15:04:05 2006")
	case strings.HasPrefix(item, "="):
		spec, name, ok := strings.Cut(item[1:], ":")
		n, err := strconv.Atoi(spec)
		if !ok || err != nil {
			return ""
		}
		r := []rune(value(name))
		switch {
		case n >= 0 && n < len(r):
			r = r[:n]
		case n < 0 && n > -len(r):
			r = r[len(r)+n:]
		}
		return string(r)
	}
	return value(item)
}

// compareOp compares a and b for <, >, <= or >=: as integers when both
// are (so that 10 > 9, which tmux's string comparison gets wrong), else
// as strings.
func compareOp(op, a, b string) bool {
	c := strings.Compare(a, b)
	if x, errA := strconv.Atoi(a); errA == nil {
		if y, errB := strconv.Atoi(b); errB == nil {
			c = 0
			if x < y {
				c = -1
			} else if x > y {
				c = 1
			}
		}
	}
	switch op {
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	}
	return c >= 0
}
