package command

import (
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"
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
//	#{b:name} #{d:name}   basename, dirname (of a path such as pane_current_path)
//	#{n:name}          the length in characters
//	#{s/re/repl/:name} regexp substitution (\1 for a group; flag i after the last /)
//	#{b;=5:name}       modifiers chained with ';' (tmux applies them in its own order)
//	#{||:a,b} #{&&:a,b}   "1" or "0": either / both true
//	#{e|op|f|N:a,b}    arithmetic: + - * / m (%) and comparisons; f floats with N decimals
//	#{m:glob,s} #{m/r:re,s} #{m/i:…}   "1" if s matches (fnmatch, or regexp; i: any case)
//	#{pN:name} #{p-N:name}   padded with spaces to N columns, on the right (left when -N)
//	#{q:name} #{q/h:name}    quoted for a shell (backslashes), or for a style ('#' doubled)
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
	case strings.HasPrefix(item, "||:") || strings.HasPrefix(item, "&&:"):
		p := splitTop(item[3:], 2)
		if len(p) != 2 {
			return ""
		}
		a, b := truth(sub(p[0])), truth(sub(p[1]))
		if item[0] == '|' {
			return boolFlag(a || b)
		}
		return boolFlag(a && b)
	case strings.HasPrefix(item, "e|"):
		spec, rest, ok := strings.Cut(item[2:], ":")
		p := splitTop(rest, 2)
		if !ok || len(p) != 2 {
			return ""
		}
		return arith(spec, sub(p[0]), sub(p[1]))
	case strings.HasPrefix(item, "m:") || strings.HasPrefix(item, "m/"):
		flags, rest, ok := strings.Cut(item[1:], ":")
		p := splitTop(rest, 2)
		if !ok || len(p) != 2 {
			return ""
		}
		return boolFlag(match(strings.TrimPrefix(flags, "/"), sub(p[0]), sub(p[1])))
	case strings.HasPrefix(item, "l:"):
		return item[2:]
	}
	if mods, name, ok := parseModifiers(item); ok {
		if strings.Contains(name, "#") {
			mods.shell, mods.style = false, false // a format, not a variable
		}
		return applyModifiers(mods, value(name), len(item))
	}
	return value(item)
}

// truth is tmux's format_true: anything but "" and "0".
func truth(s string) bool { return s != "" && s != "0" }

// modifiers are the value modifiers of one #{…}, in tmux's order of
// application whatever order they were written in (format_replace).
type modifiers struct {
	time      bool
	base, dir bool
	subs      [][3]string // pattern, replacement, flags
	trim      int
	trimSet   bool
	length    bool
	// pad is p's width: pad with spaces on the right to that many
	// columns, on the left when negative.
	pad int
	// shell and style are q and q/h, which tmux applies to variables
	// only (format_find): a backslash before each character a shell
	// treats specially, or '#' doubled for a style string.
	shell, style bool
}

// parseModifiers splits "b;s/x/y/;=5:name" into its modifiers and name.
// ok is false when item does not start with a known value modifier.
func parseModifiers(item string) (m modifiers, name string, ok bool) {
	rest := item
	for n := 0; n < 16; n++ { // bounded: a modifier takes at least two bytes
		if rest == "" {
			return m, "", false
		}
		switch c := rest[0]; c {
		case 't', 'b', 'd', 'n':
			if len(rest) < 2 || (rest[1] != ':' && rest[1] != ';') {
				return m, "", false
			}
			m.time = m.time || c == 't'
			m.base = m.base || c == 'b'
			m.dir = m.dir || c == 'd'
			m.length = m.length || c == 'n'
			rest = rest[1:]
		case 's':
			if len(rest) < 2 || rest[1] == ':' || rest[1] == ';' {
				return m, "", false
			}
			sep := string(rest[1])
			parts := strings.SplitN(rest[2:], sep, 3)
			if len(parts) != 3 {
				return m, "", false
			}
			end := strings.IndexAny(parts[2], ":;")
			if end < 0 {
				return m, "", false
			}
			m.subs = append(m.subs, [3]string{parts[0], parts[1], parts[2][:end]})
			rest = parts[2][end:]
		case '=':
			end := strings.IndexAny(rest, ":;")
			v, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil {
				return m, "", false
			}
			m.trim, m.trimSet = v, true
			rest = rest[end:]
		case 'p':
			// A width that is no number is ignored, the rest kept, as
			// tmux's strtonum failing does.
			end := strings.IndexAny(rest, ":;")
			if end < 0 {
				return m, "", false
			}
			if v, err := strconv.Atoi(rest[1:end]); err == nil && v >= -maxPad && v <= maxPad {
				m.pad = v
			}
			rest = rest[end:]
		case 'q':
			switch {
			case strings.HasPrefix(rest, "q/h") && len(rest) > 3 && (rest[3] == ':' || rest[3] == ';'):
				m.style = true
				rest = rest[3:]
			case len(rest) >= 2 && (rest[1] == ':' || rest[1] == ';'):
				m.shell = true
				rest = rest[1:]
			default:
				return m, "", false
			}
		default:
			return m, "", false
		}
		if rest[0] == ':' {
			return m, rest[1:], true
		}
		rest = rest[1:] // ';'
	}
	return m, "", false
}

// applyModifiers applies m to v. Substitutions may grow v by at most the
// format item's own length (limit), so that a hostile format, however
// nested, can't make the daemon allocate without bound.
func applyModifiers(m modifiers, v string, limit int) string {
	if m.time {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return ""
		}
		v = time.Unix(sec, 0).Format(ctimeLayout)
	}
	if m.base {
		v = path.Base(v)
	}
	if m.dir {
		v = path.Dir(v)
	}
	if m.shell {
		v = quoteShell(v)
	}
	if m.style {
		v = strings.ReplaceAll(v, "#", "##")
	}
	limit += len(v)
	for _, s := range m.subs {
		pat := s[0]
		if strings.Contains(s[2], "i") {
			pat = "(?i)" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			continue
		}
		// POSIX \1 in the replacement is Go's ${1}.
		repl := backref.ReplaceAllString(strings.ReplaceAll(s[1], "$", "$$"), "$${$1}")
		v = re.ReplaceAllString(v, repl)
		if len(v) > limit {
			v = v[:limit]
		}
	}
	if m.trimSet {
		r := []rune(v)
		switch n := m.trim; {
		case n >= 0 && n < len(r):
			r = r[:n]
		case n < 0 && n > -len(r):
			r = r[len(r)+n:]
		}
		v = string(r)
	}
	if w := uniseg.StringWidth(v); m.pad > w {
		v += strings.Repeat(" ", m.pad-w)
	} else if -m.pad > w {
		v = strings.Repeat(" ", -m.pad-w) + v
	}
	if m.length {
		v = strconv.Itoa(utf8.RuneCountInString(v))
	}
	return v
}

// maxPad bounds p's width, so that a format can't make the daemon
// allocate without bound.
const maxPad = 1000

// quoteShell is tmux's format_quote_shell (the q modifier): a backslash
// before each character a POSIX shell gives a meaning.
func quoteShell(s string) string {
	if !strings.ContainsAny(s, shellSpecial) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(shellSpecial, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

const shellSpecial = "|&;<>()$`\\\"'*?[# =%"

var backref = regexp.MustCompile(`\\([0-9])`)

// arith is #{e|op|f|N:a,b}: spec is "op", "op|f" or "op|f|N".
func arith(spec, a, b string) string {
	f := strings.Split(spec, "|")
	op, float, prec := f[0], false, 2 // tmux's default with f
	if len(f) > 1 {
		if f[1] != "f" {
			return ""
		}
		float = true
	}
	if len(f) > 2 {
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 0 || n > 30 {
			return ""
		}
		prec = n
	}
	num := func(s string) (float64, error) {
		if s == "" {
			return 0, nil // as tmux's strtod
		}
		return strconv.ParseFloat(s, 64)
	}
	x, errA := num(a)
	y, errB := num(b)
	if errA != nil || errB != nil {
		return ""
	}
	if !float {
		x, y = math.Trunc(x), math.Trunc(y)
	}
	var r float64
	switch op {
	case "+":
		r = x + y
	case "-":
		r = x - y
	case "*":
		r = x * y
	case "/", "m", "%", "%%":
		if y == 0 {
			return "" // tmux prints garbage here
		}
		if op == "/" {
			r = x / y
		} else {
			r = math.Mod(x, y)
		}
	case "==", "!=", "<", ">", "<=", ">=":
		c := map[string]bool{"==": x == y, "!=": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
		return boolFlag(c)
	default:
		return ""
	}
	if !float {
		return strconv.FormatInt(int64(math.Trunc(r)), 10)
	}
	if math.Abs(r) >= 1e21 {
		// %f would spell out every digit (1e100 is 101 of them); a
		// format's output stays near its input's size.
		return strconv.FormatFloat(r, 'g', -1, 64)
	}
	return strconv.FormatFloat(r, 'f', prec, 64)
}

// match is #{m:pattern,s}: fnmatch(3) without flags (a '*' matches '/'),
// or with flag r an extended regexp; i ignores case.
func match(flags, pattern, s string) bool {
	fold := strings.Contains(flags, "i")
	if !strings.Contains(flags, "r") {
		pattern = globRegexp(pattern)
	}
	if fold {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(s)
}

// globRegexp turns an fnmatch pattern (* ? [set]) into an anchored regexp.
func globRegexp(g string) string {
	var b strings.Builder
	b.WriteString("^(?s:")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			end := strings.IndexByte(g[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			set := g[i+1 : i+1+end]
			if strings.HasPrefix(set, "!") {
				set = "^" + set[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(set, `\`, `\\`) + "]")
			i += end + 1
		case '\\':
			if i+1 < len(g) {
				i++
				b.WriteString(regexp.QuoteMeta(g[i : i+1]))
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(")$")
	return b.String()
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
