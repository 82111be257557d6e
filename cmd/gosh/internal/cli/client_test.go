package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/predict"
)

func TestParseClientEnv(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		flag      string
		overwrite bool
		want      clientOptions
		err       bool
	}{
		{"defaults", nil, "", false, clientOptions{mode: predict.Adaptive, escape: client.EscapeKey{Key: 0x1e}}, false},
		{"env mode", map[string]string{"MOSH_PREDICTION_DISPLAY": "never"}, "", false,
			clientOptions{mode: predict.Never, escape: client.EscapeKey{Key: 0x1e}}, false},
		{"flag wins over env", map[string]string{"MOSH_PREDICTION_DISPLAY": "never"}, "experimental", false,
			clientOptions{mode: predict.Experimental, escape: client.EscapeKey{Key: 0x1e}}, false},
		{"overwrite from env", map[string]string{"MOSH_PREDICTION_OVERWRITE": "yes"}, "always", false,
			clientOptions{mode: predict.Always, overwrite: true, escape: client.EscapeKey{Key: 0x1e}}, false},
		{"overwrite flag", nil, "", true, clientOptions{mode: predict.Adaptive, overwrite: true, escape: client.EscapeKey{Key: 0x1e}}, false},
		{"escape key", map[string]string{"MOSH_ESCAPE_KEY": "~"}, "", false,
			clientOptions{mode: predict.Adaptive, escape: client.EscapeKey{Key: '~'}}, false},
		{"unknown env mode", map[string]string{"MOSH_PREDICTION_DISPLAY": "sometimes"}, "", false, clientOptions{}, true},
		{"set but empty env mode", map[string]string{"MOSH_PREDICTION_DISPLAY": ""}, "", false, clientOptions{}, true},
		{"unknown flag mode", nil, "Always", false, clientOptions{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			got, err := parseClientEnv(getenv, tc.flag, tc.overwrite)
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), "unknown prediction mode") {
					t.Fatalf("err = %v, want an unknown prediction mode error", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestClientUnknownPredictionModeExits1(t *testing.T) {
	t.Setenv("MOSH_KEY", "AAAAAAAAAAAAAAAAAAAAAA")
	code, _, errOut := run(t, "client", "--predict", "sometimes", "127.0.0.1", "60001")
	if code != 1 || !strings.Contains(errOut, "unknown prediction mode") {
		t.Fatalf("code %d stderr %q; want 1 and unknown prediction mode", code, errOut)
	}
	if _, ok := os.LookupEnv("MOSH_KEY"); ok {
		t.Errorf("MOSH_KEY still in the environment")
	}
}

func TestClientWithoutKeyFails(t *testing.T) {
	t.Setenv("MOSH_KEY", "")
	t.Setenv("GOSH_KEY", "")
	code, _, errOut := run(t, "client", "127.0.0.1", "60001")
	if code != 1 || !strings.Contains(errOut, "MOSH_KEY") {
		t.Fatalf("code %d stderr %q", code, errOut)
	}
}
