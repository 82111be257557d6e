// Command vt compares the throughput of gosh's terminal emulator (package
// vt) with tmux's on the same 4 MiB streams, in the same run.
//
//	go run ./bench/vt [-n 5] [-tmux-n 3] [-corpus vt/testdata/corpus]   # from the repository root
//
// It builds four deterministic streams (issue 2's benchmark set): plain
// ASCII lines, SGR-heavy coloured output in the style of `ls --color` and
// syntax-highlighted code, mixed CJK/emoji text, and full-screen program
// recordings (the htop, less and man recordings of the differential corpus,
// repeated). For each it reports vt's best time over -n runs (in process: a
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

// rng is a small deterministic generator (xorshift64*), so the streams are
// the same on every run and every machine.
type rng uint64

func (r *rng) next() uint64 {
	*r ^= *r >> 12
	*r ^= *r << 25
	*r ^= *r >> 27
	return uint64(*r) * 2685821657736338717
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

var words = strings.Fields(`the quick brown fox jumps over lazy dog terminal emulator grid cell
	cursor screen scroll region wrap line column byte stream parser escape sequence control
	func return package import struct interface string int error nil true false if else for range`)

// asciiStream is plain text: lines of words, CR LF.
func asciiStream() []byte {
	r := rng(1)
	var b bytes.Buffer
	for b.Len() < size {
		n := 0
		for n < 20+r.intn(55) {
			w := words[r.intn(len(words))]
			b.WriteString(w)
			b.WriteByte(' ')
			n += len(w) + 1
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()[:size]
}

// sgrStream is coloured output: file names in ls --color's classes and
// syntax-highlighted code with 16, 256 and 24-bit colours, bold, italic and
// underline; roughly a third of the bytes are SGR sequences.
func sgrStream() []byte {
	r := rng(2)
	lsColors := []string{"01;34", "01;36", "01;32", "40;33;01", "01;31", "01;35", "00;36", "30;42"}
	var b bytes.Buffer
	for b.Len() < size {
		if r.intn(2) == 0 { // an ls line
			for range 4 + r.intn(4) {
				fmt.Fprintf(&b, "\x1b[0m\x1b[%sm%s.%s\x1b[0m  ", lsColors[r.intn(len(lsColors))], words[r.intn(len(words))], words[r.intn(len(words))][:2])
			}
		} else { // a highlighted code line
			b.WriteString("\t")
			for range 5 + r.intn(6) {
				switch r.intn(5) {
				case 0:
					fmt.Fprintf(&b, "\x1b[1;38;5;%dm%s\x1b[0m ", r.intn(256), words[r.intn(len(words))])
				case 1:
					fmt.Fprintf(&b, "\x1b[38;2;%d;%d;%dm%s\x1b[39m ", r.intn(256), r.intn(256), r.intn(256), words[r.intn(len(words))])
				case 2:
					fmt.Fprintf(&b, "\x1b[3;32m\"%s\"\x1b[23;39m ", words[r.intn(len(words))])
				case 3:
					fmt.Fprintf(&b, "\x1b[4;%dm%s\x1b[24;39m ", 31+r.intn(7), words[r.intn(len(words))])
				default:
					fmt.Fprintf(&b, "%s ", words[r.intn(len(words))])
				}
			}
		}
		b.WriteString("\x1b[m\r\n")
	}
	return cut(b.Bytes())
}

// cjkStream is mixed CJK, emoji and ASCII text, wrapping at the margin.
func cjkStream() []byte {
	r := rng(3)
	cjk := []rune("中文字符测试汉字漢語日本語のテキスト한국어텍스트宽字符终端模拟器")
	emoji := []rune("😀🚀🐈🎉👍🔥🌍💡📦✅")
	var b bytes.Buffer
	for b.Len() < size {
		for range 10 + r.intn(30) {
			switch r.intn(6) {
			case 0, 1, 2:
				b.WriteRune(cjk[r.intn(len(cjk))])
			case 3:
				b.WriteRune(emoji[r.intn(len(emoji))])
			case 4:
				b.WriteString(words[r.intn(len(words))])
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString("\r\n")
	}
	return cut(b.Bytes())
}

// cut trims a stream to size at a line boundary, so no sequence or UTF-8
// character is split.
func cut(p []byte) []byte {
	if len(p) <= size {
		return p
	}
	if i := bytes.LastIndexByte(p[:size], '\n'); i > 0 {
		return p[:i+1]
	}
	return p[:size]
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
	tn := flag.Int("tmux-n", 3, "tmux runs per stream (the best is reported)")
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
		{"plain ASCII lines", asciiStream()},
		{"SGR-heavy coloured output", sgrStream()},
		{"mixed CJK/emoji", cjkStream()},
		{"full-screen recordings (htop, less, man)", rec},
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
