package gosh

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/goshterm/gosh"

// importRules lists, for each package prefix, import prefixes it must never reach
// (directly or transitively), with the reason. DESIGN.md §8 and STYLE.md §1.
var importRules = []struct {
	pkg       string
	forbidden []string
	why       string
}{
	{"vt", []string{module + "/ssp", module + "/mux", module + "/predict", module + "/plugins", module + "/sdk", module + "/cmd", "github.com/gdamore/tcell", "github.com/creack/pty", "github.com/hashicorp/go-plugin", "github.com/spf13/cobra"}, "vt is the foundation and imports nothing of ours"},
	{"ssp", []string{module + "/vt", module + "/mux", module + "/predict", module + "/plugins", module + "/sdk", module + "/cmd", "github.com/gdamore/tcell", "github.com/spf13/cobra"}, "ssp is generic and knows no terminal"},
	{"predict", []string{module + "/ssp", module + "/mux", module + "/plugins", module + "/sdk", module + "/cmd", "github.com/gdamore/tcell"}, "predict depends on vt only"},
	{"mux", []string{module + "/plugins", module + "/sdk", module + "/predict", module + "/cmd", "github.com/hashicorp/go-plugin", "google.golang.org/grpc", "github.com/spf13/cobra", "github.com/gdamore/tcell"}, "plugins attach to mux through mux.Hooks"},
	{"sdk", []string{module + "/vt", module + "/ssp", module + "/mux", module + "/predict", module + "/plugins", module + "/cmd"}, "sdk must be able to become its own module"},
	{"examples", []string{module + "/vt", module + "/ssp", module + "/mux", module + "/predict", module + "/plugins", module + "/cmd"}, "examples import only sdk"},
	{"plugins", []string{module + "/cmd", "github.com/gdamore/tcell", "github.com/spf13/cobra"}, "plugins is the host side only"},
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Deps \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for _, r := range importRules {
			if rel != r.pkg && !strings.HasPrefix(rel, r.pkg+"/") {
				continue
			}
			for d := range strings.FieldsSeq(deps) {
				for _, f := range r.forbidden {
					if d == f || strings.HasPrefix(d, f+"/") {
						t.Errorf("%s imports %s: %s", rel, d, r.why)
					}
				}
			}
		}
	}
	// cobra only in cli, tcell only in client.
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		for d := range strings.FieldsSeq(deps) {
			if strings.HasPrefix(d, "github.com/spf13/cobra") && !strings.HasPrefix(pkg, module+"/cmd/gosh") {
				t.Errorf("%s imports cobra; only cmd/gosh/internal/cli may", pkg)
			}
			if strings.HasPrefix(d, "github.com/gdamore/tcell") && !strings.HasPrefix(pkg, module+"/cmd/gosh") {
				t.Errorf("%s imports tcell; only cmd/gosh/internal/client may", pkg)
			}
		}
	}
}
