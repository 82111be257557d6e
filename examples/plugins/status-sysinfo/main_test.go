package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/sdk/sdktest"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSegments(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "repo/.git/HEAD"), "ref: refs/heads/feature/x\n")
	if err := os.MkdirAll(filepath.Join(root, "repo/src/deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "loadavg"), "0.52 0.58 0.59 2/1024 12345\n")
	s := &sysinfo{
		now:         func() time.Time { return time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC) },
		loadavgPath: filepath.Join(root, "loadavg"),
		clockFormat: "15:04",
		refresh:     5 * time.Second,
	}
	c := sdktest.Serve(t, "sysinfo", s)
	ctx := context.Background()
	cfg, err := c.Status.Configure(ctx)
	if err != nil || cfg.Refresh != 5*time.Second {
		t.Fatalf("Configure = %+v, %v", cfg, err)
	}

	tests := map[string]struct {
		cwd  string
		want []string
	}{
		"in a repository subdirectory": {cwd: filepath.Join(root, "repo/src/deep"), want: []string{" feature/x ", " 0.52 0.58 0.59 ", " 15:04 "}},
		"outside any repository":       {cwd: root, want: []string{" 0.52 0.58 0.59 ", " 15:04 "}},
		"unknown cwd":                  {cwd: "", want: []string{" 0.52 0.58 0.59 ", " 15:04 "}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			segs, err := c.Status.Segments(ctx, sdk.StatusRequest{Pane: sdk.Pane{Cwd: tc.cwd}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range segs {
				got = append(got, s.Text)
				if s.Align != sdk.AlignRight {
					t.Errorf("segment %q is not right-aligned", s.Text)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("segments %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("segment %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestGitBranch(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "detached/.git/HEAD"), "0123456789abcdef0123456789abcdef01234567\n")
	write(t, filepath.Join(root, "real/.git/worktrees/wt/HEAD"), "ref: refs/heads/wt-branch\n")
	write(t, filepath.Join(root, "wt/.git"), "gitdir: ../real/.git/worktrees/wt\n")
	write(t, filepath.Join(root, "bad/.git"), "not a gitdir line\n")
	tests := map[string]struct{ dir, want string }{
		"detached head": {filepath.Join(root, "detached"), "0123456"},
		"worktree file": {filepath.Join(root, "wt"), "wt-branch"},
		"bad .git file": {filepath.Join(root, "bad"), ""},
		"no repository": {root, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := gitBranch(tc.dir); got != tc.want {
				t.Errorf("gitBranch(%q) = %q, want %q", tc.dir, got, tc.want)
			}
		})
	}
}
