// Command vt compares the throughput of gosh's terminal emulator (package
// vt) with tmux's on the same 4 MiB streams, in the same run.
//
//	go run ./bench/vt [-n 5] [-tmux-n 5] [-corpus vt/testdata/corpus]   # from the repository root
//
// It builds issue 2's benchmark set with the generators of vt's own
// benchmarks (plain ASCII lines, SGR-heavy coloured output in the style of
// `ls --color` and syntax-highlighted code, mixed CJK/emoji text, a
// synthetic full-screen program), plus real full-screen recordings (the
// htop, less and man recordings of the differential corpus, repeated),
// 4 MiB each. For each it reports vt's best time over -n runs (in process: a
// fresh 80x24 vt.Screen, the stream written in 4 KiB chunks as a pty read
// delivers it) and tmux's best over -tmux-n runs (the stream cat into a
// detached 80x24 pane, timed inside the pane until tmux answers a cursor
// report request sent after it; see vttest.TmuxThroughput), as MB/s (10^6
// bytes per second), and the ratio. It is a benchmark: it asserts nothing.
//
// The machines are shared, so absolute figures drift between runs; compare
// the ratio, which is measured in the same run.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

const (
	size       = 4 << 20 // bytes per stream
	cols, rows = 80, 24
	chunk      = 4096 // bytes per Write, like one pty read
)

// The four synthetic streams are the generators of vt's own benchmarks
// (vt/bench_test.go: plainASCII, sgrHeavy, mixedUnicode, fullScreen),
// copied because test files cannot be imported; keep them in step, so that
// the MB/s here and from `go test -bench ./vt` describe the same bytes.

func plainASCII() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%6d the quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet\r\n", i)
	}
	return b.Bytes()[:size]
}

func sgrHeavy() []byte {
	var b bytes.Buffer
	words := []string{"func", "main", "return", "if", "err", "nil", "x", ":=", "for", "range"}
	for i := 0; b.Len() < size; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "\x1b[1;3%dm", i%8)
		case 1:
			fmt.Fprintf(&b, "\x1b[38;5;%dm", i%256)
		case 2:
			fmt.Fprintf(&b, "\x1b[38;2;%d;%d;%dm", i%256, (i*7)%256, (i*13)%256)
		case 3:
			b.WriteString("\x1b[0m")
		}
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
		if i%12 == 11 {
			b.WriteString("\x1b[m\r\n")
		}
	}
	return b.Bytes()[:size]
}

func mixedUnicode() []byte {
	var b bytes.Buffer
	parts := []string{"日本語のテキスト", " hello ", "中文字符", "😀", "👨\u200d👩\u200d👧", " café ", "e\u0301", "한국어", "🇯🇵"}
	for i := 0; b.Len() < size; i++ {
		b.WriteString(parts[i%len(parts)])
		if i%9 == 8 {
			b.WriteString("\r\n")
		}
	}
	return b.Bytes()[:size-size%4]
}

func fullScreen() []byte {
	var b bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	b.WriteString("\x1b[?1049h\x1b[?25l")
	for frame := 0; b.Len() < size; frame++ {
		b.WriteString("\x1b[H\x1b[7m  PID USER      PRI  NI  VIRT   RES   SHR S CPU% MEM%   TIME+  Command\x1b[K\x1b[m")
		for row := 2; row <= 23; row++ {
			fmt.Fprintf(&b, "\x1b[%d;1H\x1b[3%dm%5d\x1b[m root      20   0 %5dM %5dM  %4d S \x1b[1m%4.1f\x1b[m %4.1f  0:%02d.%02d /usr/bin/prog%d\x1b[K",
				row, r.IntN(8), r.IntN(99999), r.IntN(9999), r.IntN(9999), r.IntN(999), r.Float64()*100, r.Float64()*10, r.IntN(60), r.IntN(100), row)
		}
		if frame%10 == 0 {
			b.WriteString("\x1b[5;20r\x1b[20;1H\n\n\x1b[r\x1b[24;1H\x1b[2K~")
		}
	}
	return b.Bytes()[:size]
}

// recordingStream repeats full-screen program recordings from the corpus.
func recordingStream(corpus string) ([]byte, error) {
	var one []byte
	for _, name := range []string{"rec-htop.vt", "rec-less.vt", "rec-man.vt"} {
		p, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			return nil, fmt.Errorf("bench: %w (run from the repository root or pass -corpus)", err)
		}
		one = append(one, p...)
	}
	var b bytes.Buffer
	for b.Len()+len(one) <= size {
		b.Write(one)
	}
	return b.Bytes(), nil
}

// timeVT returns the best time of n runs of writing p into a fresh screen.
func timeVT(p []byte, n int) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range n {
		s := vt.NewScreen(cols, rows)
		runtime.GC()
		start := time.Now()
		for off := 0; off < len(p); off += chunk {
			_, _ = s.Write(p[off:min(off+chunk, len(p))])
		}
		best = min(best, time.Since(start))
	}
	return best
}

func timeTmux(p []byte, n int) (time.Duration, error) {
	best := time.Duration(1<<63 - 1)
	for range n {
		d, err := vttest.TmuxThroughput(p, cols, rows)
		if err != nil {
			return 0, err
		}
		best = min(best, d)
	}
	return best, nil
}

func mbps(n int, d time.Duration) float64 { return float64(n) / d.Seconds() / 1e6 }

func main() {
	n := flag.Int("n", 5, "vt runs per stream (the best is reported)")
	tn := flag.Int("tmux-n", 5, "tmux runs per stream (the best is reported)")
	corpus := flag.String("corpus", "vt/testdata/corpus", "the differential corpus, for the recordings")
	flag.Parse()
	log.SetFlags(0)

	rec, err := recordingStream(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	streams := []struct {
		name string
		data []byte
	}{
		{"plain ASCII lines", plainASCII()},
		{"SGR-heavy coloured output", sgrHeavy()},
		{"mixed CJK/emoji/ZWJ/combining", mixedUnicode()},
		{"synthetic full-screen (htop-like)", fullScreen()},
		{"real recordings (htop, less, man)", rec},
	}
	tmuxVersion := "tmux"
	if out, err := exec.Command("tmux", "-V").Output(); err == nil {
		tmuxVersion = strings.TrimSpace(string(out))
	}
	fmt.Printf("vt vs %s, %dx%d, %s/%s, %d CPUs, %s, best of %d (vt) and %d (tmux)\n\n",
		tmuxVersion, cols, rows, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), *n, *tn)
	fmt.Println("| stream | bytes | vt MB/s | tmux MB/s | vt/tmux |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, s := range streams {
		dv := timeVT(s.data, *n)
		dt, err := timeTmux(s.data, *tn)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("| %s | %d | %.1f | %.1f | %.1fx |\n", s.name, len(s.data), mbps(len(s.data), dv), mbps(len(s.data), dt), dt.Seconds()/dv.Seconds())
	}
}
