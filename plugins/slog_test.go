package plugins

import (
	"log/slog"
	"strings"
	"testing"
)

func TestHCLogIntoSlog(t *testing.T) {
	var buf syncBuffer
	l := HCLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	l.Named("clock").Warn("plugin stopped, restarting", "reason", "plugin exited")
	l.Named("clock").Debug("noise")
	out := buf.String()
	for _, want := range []string{`level=WARN msg="plugin stopped, restarting" plugin=clock reason="plugin exited"`, `level=DEBUG msg=noise plugin=clock`} {
		if !strings.Contains(out, want) {
			t.Errorf("slog output lacks %q:\n%s", want, out)
		}
	}
}

// A plugin's stderr reaches the daemon's slog log, tagged with its name.
func TestPluginStderrIntoSlog(t *testing.T) {
	var buf syncBuffer
	cfg := testConfig(fixture(t, "status-exit"))
	cfg.Logger = HCLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	startHost(t, cfg)
	eventually(t, "the plugin's hello is logged", func() bool {
		return strings.Contains(buf.String(), "fixture status-exit generation 1 says hello")
	})
	if !strings.Contains(buf.String(), "plugin=status-exit") {
		t.Errorf("log lines are not tagged with the plugin:\n%s", buf.String())
	}
}
