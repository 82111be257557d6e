package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
)

// gosh plugin list shows a working plugin with its kind and version learned
// from the handshake, and a broken executable in the same directory with its
// error, without failing.
func TestPluginList(t *testing.T) {
	dir := t.TempDir()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "gosh-plugin-predict-prompt"), "./examples/plugins/predict-prompt")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "gosh-plugin-broken"), []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "plugin", "list", "--config", filepath.Join(dir, "none.yaml"), "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// The header says the plugins were probed here, not asked of a server.
	if len(lines) != 4 || lines[0] != "plugins probed by this command (--config or --dir given):" || !strings.HasPrefix(lines[1], "NAME") {
		t.Fatalf("output:\n%s", out)
	}
	lines = lines[1:]
	if !regexp.MustCompile(`^broken\s+unknown\s+-\s+failed\s+0\s+plugins: "broken" is not a gosh plugin`).MatchString(lines[1]) {
		t.Errorf("broken line: %q", lines[1])
	}
	if !regexp.MustCompile(`^predict-prompt\s+predictor\s+0\.1\.0\s+running\s+0\s+-$`).MatchString(lines[2]) {
		t.Errorf("predictor line: %q", lines[2])
	}
}

// The predict-prompt plugin, found in the user's plugins directory and
// adapted by startPredictors, keeps the prediction engine from guessing at
// a sudo prompt and makes it confident at a shell prompt.
func TestStartPredictors(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	if heur, stop := startPredictors(); heur != nil {
		stop()
		t.Fatal("a heuristic with no plugins installed")
	}
	_, file, _, _ := runtime.Caller(0)
	build := exec.Command("go", "build", "-o", filepath.Join(xdg, "gosh", "plugins", "gosh-plugin-predict-prompt"), "./examples/plugins/predict-prompt")
	build.Dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	heur, stop := startPredictors()
	defer stop()
	if heur == nil {
		t.Fatal("no heuristic with a predictor installed")
	}
	pane := predict.PaneFacts{Known: true, Echo: true, Rect: predict.Rect{X: 0, Y: 0, W: 80, H: 24}}
	key := predict.Key{Kind: predict.KeyRune, Rune: 'h', Width: 1, Seq: "h"}
	shellKey := predict.KeyContext{Key: key, Lines: []string{"ann@box:~$"}, Before: "ann@box:~$ ", Col: 11, Pane: pane, Bounds: pane.Rect}
	// Until the handshake is done the engine gets no answer and uses its
	// own heuristic; the 5 ms deadline may also be missed on a loaded
	// machine, so ask until an answer comes.
	var shell predict.Decision
	for range 3000 {
		if shell = heur.Decide(shellKey); shell.Verdict != predict.NoAnswer {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if shell.Verdict != predict.Predict || !shell.Immediate {
		t.Errorf("shell prompt: %+v, want an immediate prediction", shell)
	}
	sudoKey := predict.KeyContext{Key: key, Lines: []string{"[sudo] password for ann:"}, Before: "[sudo] password for ann:", Col: 25, Pane: pane, Bounds: pane.Rect}
	var sudo predict.Decision
	for range 100 {
		if sudo = heur.Decide(sudoKey); sudo.Verdict != predict.NoAnswer {
			break
		}
	}
	if sudo.Verdict != predict.Skip {
		t.Errorf("sudo prompt: %v, want skip", sudo.Verdict)
	}
	stop()
	if d := heur.Decide(shellKey); d.Verdict != predict.NoAnswer {
		t.Errorf("with the plugin stopped: %v, want no answer", d.Verdict)
	}
}

func TestPluginListEmpty(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := run(t, "plugin", "list", "--config", filepath.Join(dir, "c.yaml"), "--dir", filepath.Join(dir, "p"))
	if code != 0 || !strings.HasPrefix(out, "no plugins") {
		t.Errorf("exit %d, output %q", code, out)
	}
}
