package gosh

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/goshterm/gosh"

// allowed lists, for each package (and its subpackages unless a longer
// entry matches), the packages of this module it may depend on, directly or
// transitively. Its own subtree is always allowed. Packages under cmd/ and
// bench/ wire everything together and have no entry. DESIGN.md §8.
var allowed = map[string][]string{
	"":                {},
	"vt":              {},
	"vt/vttest":       {"vt"},
	"ssp":             {},
	"ssp/conn":        {},
	"ssp/ssptest":     {"ssp"},
	"predict":         {"vt"},
	"mux":             {"vt", "ssp"},
	"mux/layout":      {},
	"mux/command":     {},
	"mux/pty":         {},
	"mux/compose":     {"vt", "mux/layout"},
	"mux/input":       {"vt", "mux/layout"},
	"mux/copymode":    {"vt"},
	"mux/statesync":   {"vt", "ssp"},
	"plugins":         {"sdk", "mux", "vt", "ssp"},
	"sdk":             {},
	"examples":        {"sdk"},
	"ssp/conn/impair": {},
}

// confined third-party libraries: only packages under these prefixes may
// import them directly (others reach them only through those packages).
var confined = map[string][]string{
	"github.com/spf13/cobra":         {"cmd/gosh"},
	"github.com/gdamore/tcell":       {"cmd/gosh"},
	"github.com/hashicorp/go-plugin": {"sdk", "plugins", "examples", "cmd/gosh"},
	"google.golang.org/grpc":         {"sdk", "plugins", "examples", "cmd/gosh"},
	"github.com/creack/pty":          {"mux", "cmd/gosh"},
}

func under(pkg, prefix string) bool {
	return prefix == "" || pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
}

// rule returns the longest entry of allowed that pkg falls under.
func rule(pkg string) (string, bool) {
	best, found := "", false
	for p := range allowed {
		if (p == "" && pkg == "") || (p != "" && under(pkg, p)) {
			if !found || len(p) > len(best) {
				best, found = p, true
			}
		}
	}
	return best, found
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Deps \" \"}}:{{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		full, rest, _ := strings.Cut(line, ":")
		deps, imports, _ := strings.Cut(rest, ":")
		pkg := strings.TrimPrefix(strings.TrimPrefix(full, module), "/")
		if under(pkg, "bench") {
			continue // benchmark programs measure everything, plugins included
		}
		for d := range strings.FieldsSeq(imports) {
			for lib, who := range confined {
				if !under(d, lib) {
					continue
				}
				ok := false
				for _, w := range who {
					ok = ok || under(pkg, w)
				}
				if !ok {
					t.Errorf("%s depends on %s, which only %v may use", pkg, lib, who)
				}
			}
		}
		if under(pkg, "cmd") {
			continue
		}
		r, ok := rule(pkg)
		if !ok {
			t.Errorf("%s has no entry in deps_test.go's allowed table: add one that states what it may import", pkg)
			continue
		}
		checked++
		for d := range strings.FieldsSeq(deps) {
			if !strings.HasPrefix(d, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(d, module+"/")
			if under(dep, r) && r != "" {
				continue // own subtree
			}
			fine := false
			for _, a := range allowed[r] {
				fine = fine || under(dep, a)
			}
			if !fine {
				t.Errorf("%s depends on %s; %q may depend only on %v (DESIGN.md §8)", pkg, dep, r, allowed[r])
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d packages; go list output looks wrong", checked)
	}
}
