package plugins

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strings"

	"github.com/hashicorp/go-hclog"
)

// HCLog returns an hclog.Logger that writes into l, so that go-plugin's log
// and the plugins' stderr reach the daemon's slog log with their levels:
// Config{Logger: plugins.HCLog(daemonLog)}. Each entry keeps hclog's
// module name (the plugin's name) as the "plugin" attribute.
func HCLog(l *slog.Logger) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Output:     &slogWriter{l: l},
		JSONFormat: true,
		Level:      hclog.Trace,
	})
}

// slogWriter decodes hclog's JSON lines (one object per entry, with
// "@level", "@message" and "@module") and logs them to l.
type slogWriter struct{ l *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	for line := range bytes.SplitSeq(bytes.TrimSpace(p), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			w.l.Info(string(line))
			continue
		}
		msg, _ := m["@message"].(string)
		lv, _ := m["@level"].(string)
		var attrs []slog.Attr
		if mod, ok := m["@module"].(string); ok && mod != "" {
			attrs = append(attrs, slog.String("plugin", mod))
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			if !strings.HasPrefix(k, "@") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			attrs = append(attrs, slog.Any(k, m[k]))
		}
		w.l.LogAttrs(context.Background(), slogLevel(lv), msg, attrs...)
	}
	return len(p), nil
}

func slogLevel(s string) slog.Level {
	switch s {
	case "trace", "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}
