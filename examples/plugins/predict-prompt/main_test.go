package main

import (
	"context"
	"testing"

	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/sdk/sdktest"
)

func TestPredict(t *testing.T) {
	c := sdktest.Serve(t, "predict-prompt", promptPredictor{})
	echo := sdk.Pane{Echo: true, Canonical: false}
	tests := map[string]struct {
		line string
		col  int
		key  string
		pane sdk.Pane
		want sdk.PredictDecision
	}{
		"sudo password":         {line: "[sudo] password for ann:", col: 25, key: "h", pane: echo, want: sdk.DontPredict},
		"ssh passphrase":        {line: "Enter passphrase for key '/home/ann/.ssh/id_ed25519':", col: 54, key: "x", pane: echo, want: sdk.DontPredict},
		"git https password":    {line: "Password for 'https://ann@example.com':", col: 40, key: "x", pane: echo, want: sdk.DontPredict},
		"PIN":                   {line: "Enter PIN:", col: 11, key: "1", pane: echo, want: sdk.DontPredict},
		"no-echo canonical":     {line: "Secret word?", col: 13, key: "x", pane: sdk.Pane{Canonical: true}, want: sdk.DontPredict},
		"empty bash prompt":     {line: "ann@box:~/src$", col: 15, key: "l", pane: echo, want: sdk.Predict},
		"typing after prompt":   {line: "ann@box:~/src$ git sta", col: 22, key: "t", pane: echo, want: sdk.Predict},
		"root prompt":           {line: "root@box:/#", col: 12, key: "l", pane: echo, want: sdk.Predict},
		"zsh prompt":            {line: "box%", col: 5, key: "l", pane: echo, want: sdk.Predict},
		"continuation prompt":   {line: ">", col: 2, key: "l", pane: echo, want: sdk.Predict},
		"editor text":           {line: "func main() {", col: 13, key: "x", pane: echo, want: sdk.Defer},
		"password word in text": {line: "the password is in the vault", col: 28, key: "x", pane: echo, want: sdk.Defer},
		"ctrl-c resets":         {line: "ann@box:~$ sleep 10", col: 19, key: "\x03", pane: echo, want: sdk.Reset},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := c.Predictor.Predict(context.Background(), sdk.PredictRequest{
				Key: []byte(tc.key), Lines: []string{"previous output", tc.line}, CursorLine: 1, CursorCol: tc.col, Pane: tc.pane,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.Decision != tc.want {
				t.Errorf("line %q: decision %v, want %v", tc.line, got.Decision, tc.want)
			}
		})
	}
}

func TestPredictOutOfRangeCursor(t *testing.T) {
	got, err := promptPredictor{}.Predict(context.Background(), sdk.PredictRequest{Key: []byte("a"), Lines: []string{"$ "}, CursorLine: 5})
	if err != nil || got.Decision != sdk.Defer {
		t.Errorf("got %v, %v; want defer", got, err)
	}
}
