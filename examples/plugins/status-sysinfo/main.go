// Command gosh-plugin-sysinfo is a gosh status plugin: it shows the git
// branch of the active pane's working directory, the load average and a
// clock on the right of the status line.
//
// It reads /proc/loadavg (proc(5)) and .git/HEAD directly, so it needs no git
// binary and costs a few file reads per refresh.
package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goshterm/gosh/sdk"
)

type sysinfo struct {
	now         func() time.Time
	loadavgPath string
	clockFormat string
	refresh     time.Duration
}

func (s *sysinfo) Configure(context.Context) (sdk.StatusConfig, error) {
	return sdk.StatusConfig{Refresh: s.refresh}, nil
}

func (s *sysinfo) Segments(_ context.Context, req sdk.StatusRequest) ([]sdk.Segment, error) {
	var segs []sdk.Segment
	if b := gitBranch(req.Pane.Cwd); b != "" {
		segs = append(segs, sdk.Segment{Text: " " + b + " ", FG: sdk.Indexed(0), BG: sdk.Indexed(2), Align: sdk.AlignRight})
	}
	if l := loadAvg(s.loadavgPath); l != "" {
		segs = append(segs, sdk.Segment{Text: " " + l + " ", FG: sdk.Indexed(7), Align: sdk.AlignRight})
	}
	segs = append(segs, sdk.Segment{Text: " " + s.now().Format(s.clockFormat) + " ", Attrs: sdk.AttrBold, Align: sdk.AlignRight})
	return segs, nil
}

// loadAvg returns the 1, 5 and 15 minute load averages, the first three
// fields of /proc/loadavg, or "" when the file cannot be read.
func loadAvg(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// maxDepth bounds the walk up from the working directory.
const maxDepth = 64

// gitBranch returns the branch checked out in the repository holding dir:
// the name after "ref: refs/heads/" in HEAD, or the first 7 hex digits of a
// detached HEAD. A ".git" file (a worktree or submodule) names the real git
// directory with "gitdir: ". It returns "" outside a repository.
func gitBranch(dir string) string {
	if dir == "" {
		return ""
	}
	dir = filepath.Clean(dir)
	for range maxDepth {
		gitPath := filepath.Join(dir, ".git")
		if fi, err := os.Stat(gitPath); err == nil {
			gitDir := gitPath
			if !fi.IsDir() {
				b, err := os.ReadFile(gitPath)
				if err != nil {
					return ""
				}
				rest, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
				if !ok {
					return ""
				}
				if !filepath.IsAbs(rest) {
					rest = filepath.Join(dir, rest)
				}
				gitDir = rest
			}
			return headName(filepath.Join(gitDir, "HEAD"))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

func headName(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	head := strings.TrimSpace(string(b))
	if ref, ok := strings.CutPrefix(head, "ref: "); ok {
		return strings.TrimPrefix(ref, "refs/heads/")
	}
	if len(head) >= 7 {
		return head[:7]
	}
	return ""
}

func main() {
	s := &sysinfo{now: time.Now, loadavgPath: "/proc/loadavg"}
	flag.StringVar(&s.clockFormat, "clock", "15:04", "clock layout (Go time format)")
	flag.DurationVar(&s.refresh, "refresh", 5*time.Second, "refresh interval")
	flag.Parse()
	sdk.Serve("sysinfo", s, sdk.WithVersion("0.1.0"))
}
