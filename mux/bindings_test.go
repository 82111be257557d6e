package mux

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
)

// handledByInput are the command lines mux/input's State carries out
// itself instead of returning them as Command actions.
var handledByInput = []string{"send-prefix", "copy-mode", "confirm-before"}

// notBuilt are default bindings whose commands gosh lacks, each for a
// reason: the list is what the report of missing tmux bindings says.
var notBuilt = map[string]string{}

// TestDefaultBindingsRun checks every default key binding names a command
// of the table with flags and arguments it accepts, so that no key fails
// with "unknown command" or a usage error.
func TestDefaultBindingsRun(t *testing.T) {
	b := input.DefaultBindings()
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var missing []string
	for _, k := range keys {
		cmds, err := command.ParseLine(b[k].Command)
		if err != nil || len(cmds) != 1 {
			t.Errorf("%s: command line %q: %v", k, b[k].Command, err)
			continue
		}
		argv := cmds[0]
		if slices.Contains(handledByInput, argv[0]) {
			continue
		}
		c, err := command.Lookup(argv[0])
		if err != nil {
			if _, ok := notBuilt[argv[0]]; ok {
				missing = append(missing, k+" "+argv[0])
				continue
			}
			t.Errorf("%s: %v", k, err)
			continue
		}
		if _, err := command.ParseArgs(c.Flags, argv[1:], c.Min, c.Max); err != nil {
			t.Errorf("%s: %s: %v", k, b[k].Command, err)
		}
	}
	for name := range notBuilt {
		if _, err := command.Lookup(name); err == nil {
			t.Errorf("%s is built now: take it off notBuilt", name)
		}
	}
	t.Logf("default bindings without a command: %s", strings.Join(missing, ", "))
}
