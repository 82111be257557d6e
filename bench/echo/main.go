// Command echo measures keystroke-to-screen latency ("echo latency") of
// gosh client ↔ gosh mosh-server beside mosh-client ↔ mosh-server on the
// same link in the same run, and of a plain local tmux pane as the
// baseline, by replaying typing sessions in bash and in vim.
//
//	go run ./bench/echo [-delays 0,100ms,250ms] [-clients gosh,mosh,tmux] [-workloads bash,vim] [-rounds N]
//
// After the table it prints gosh's ratios to what it answers to in the
// same run (gosh-local / tmux at 0 ms, gosh / mosh at every delay). The
// machine here has slow and fast phases of seconds to minutes that move
// one run's median by a third; -rounds N runs the clients N times in
// alternating order and pools their keys, so that the phases fall on
// every client alike.
//
// How a keystroke is timed: the client (gosh client, mosh-client, or a
// tmux client attached to a local session) runs on a pty this program
// owns, so this program is the user's terminal. A key is written to the
// pty master; every read of the client's output is fed, as it returns,
// into a vt.Screen, and the key's latency is the time from the write to
// the read after which the key's character stands in its cell. There is
// no tmux send-keys or capture-pane fork in the measurement (those cannot
// resolve below ~5 ms, TESTING.md); the resolution is the scheduler's.
//
// The link: client → ssp/conn/impair proxy (-delays one way, each
// direction, no loss) → server on 127.0.0.1; at 0 ms the client talks to
// the server directly, as in local use (a relay on the path would add two
// user-space hops each way that tmux, measured beside it, doesn't have). Servers run
// `bash --norc --noprofile` (PS1='$ '); tmux runs the same bash locally.
//
// Workloads (the same keys for every client):
//
//   - bash: a few shell commands typed at the prompt, one key every -gap
//     (150 ms: ~80 words a minute), a pause after each command's output;
//   - vim: `vim -u NONE -N` (no configuration), i, lines of prose typed in
//     insert mode at the same pace, then Esc :q!.
//
// Reported per client, delay and workload: keys timed, the median and p90
// latency, the fraction under 20 ms, and the fraction shown "at once"
// (under 5 ms: before any network round trip could matter at ≥ 100 ms
// delay); keys never shown within 5 s are counted as missing. Mispredictions
// are counted on the screen the same way for every client: a key's
// character that stood in its cell and was later taken away before the
// line was finished (the screen is then left to settle for two round
// trips). For gosh client its own counters (--stats: keys, predicted,
// shown, confirmed, wrong, wrong-and-shown) are printed too; mosh-client
// has none to read.
//
// Every process started is stopped by its PID; tmux uses a private -L
// socket. It is a benchmark: it asserts nothing.
package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/goshterm/gosh/ssp/conn/impair"
	"github.com/goshterm/gosh/vt"
)

var (
	flagDelays    = flag.String("delays", "0,100ms,250ms", "one-way delays of the link, each direction")
	flagClients   = flag.String("clients", "gosh,mosh,tmux", "clients to run: gosh (gosh client ↔ gosh mosh-server), mosh (mosh-client ↔ mosh-server), tmux (a local pane, at delay 0 only), gosh-local (gosh alone attached to a private local daemon, at delay 0 only)")
	flagWorkloads = flag.String("workloads", "bash,vim", "typing sessions to replay")
	flagGap       = flag.Duration("gap", 150*time.Millisecond, "time between two keys of a line")
	flagGosh      = flag.String("gosh", "", "gosh binary (default: go build ./cmd/gosh into a temporary directory)")
	flagVerbose   = flag.Bool("v", false, "print every key's latency")
	flagMicros    = flag.Bool("us", false, "print latencies under 10 ms in microseconds (0.1 ms hides the differences at delay 0)")
	flagRounds    = flag.Int("rounds", 1, "run the clients this many times, alternating their order, and pool each client's keys: the machine's slow and fast phases then fall on every client alike")
)

const (
	cols, rows = 80, 24
	keyWait    = 5 * time.Second  // a key not shown by then is missing
	startWait  = 20 * time.Second // a prompt or vim's screen
	instant    = 5 * time.Millisecond
)

func main() {
	log.SetFlags(0)
	flag.Parse()
	var delays []time.Duration
	for _, s := range strings.Split(*flagDelays, ",") {
		if s == "0" {
			delays = append(delays, 0)
			continue
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			log.Fatalf("echo: -delays: %v", err)
		}
		delays = append(delays, d)
	}
	clients := strings.Split(*flagClients, ",")
	workloads := strings.Split(*flagWorkloads, ",")
	dir, err := os.MkdirTemp("", "echo-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	gosh := *flagGosh
	if gosh == "" && (slices.Contains(clients, "gosh") || slices.Contains(clients, "gosh-local")) {
		gosh = filepath.Join(dir, "gosh")
		if out, err := exec.Command("go", "build", "-o", gosh, "./cmd/gosh").CombinedOutput(); err != nil {
			log.Fatalf("echo: go build ./cmd/gosh: %v\n%s", err, out)
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("bench/echo %s: gap %v, %d CPUs, load %s\n\n", time.Now().Format("2006-01-02 15:04"), *flagGap, numCPU(), strings.Join(strings.Fields(string(load))[:3], " "))

	var results []*result
	pooled := map[runKey]*result{}
	medians := map[runKey][]time.Duration{} // each round's median
	for round := range max(*flagRounds, 1) {
		order := slices.Clone(clients)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, w := range workloads {
			for _, d := range delays {
				for _, c := range order {
					if (c == "tmux" || c == "gosh-local") && d != 0 {
						continue
					}
					r, err := runOne(c, w, d, gosh, dir)
					if err != nil {
						log.Printf("%s %s at %v: %v", c, w, d, err)
						continue
					}
					if *flagVerbose {
						fmt.Println(r.row())
					}
					k := runKey{c, w, d}
					medians[k] = append(medians[k], r.median())
					if p := pooled[k]; p != nil {
						p.add(r)
						continue
					}
					pooled[k] = &r
					results = append(results, &r)
				}
			}
		}
	}
	slices.SortStableFunc(results, func(a, b *result) int {
		return cmp.Or(cmp.Compare(slices.Index(workloads, a.workload), slices.Index(workloads, b.workload)),
			cmp.Compare(a.delay, b.delay), cmp.Compare(slices.Index(clients, a.client), slices.Index(clients, b.client)))
	})
	fmt.Println("| workload | one-way delay | client | keys | median | p90 | < 20 ms | at once (< 5 ms) | missing | screen mispredictions | gosh counters |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range results {
		fmt.Println(r.row())
	}
	printRatios(workloads, delays, pooled, medians)
}

// runKey names one client's runs of one workload at one delay.
type runKey struct {
	client, workload string
	delay            time.Duration
}

// printRatios compares gosh with what it answers to, in the same run:
// gosh-local with a tmux pane at delay 0, the gosh client with
// mosh-client at every delay. The pooled figure is the ratio of the
// medians of all keys; with -rounds, each round's ratio is listed too.
func printRatios(workloads []string, delays []time.Duration, pooled map[runKey]*result, medians map[runKey][]time.Duration) {
	pairs := [][2]string{{"gosh-local", "tmux"}, {"gosh", "mosh"}}
	header := false
	for _, w := range workloads {
		for _, d := range delays {
			for _, pr := range pairs {
				a, b := pooled[runKey{pr[0], w, d}], pooled[runKey{pr[1], w, d}]
				if a == nil || b == nil || b.median() == 0 {
					continue
				}
				if !header {
					fmt.Println()
					fmt.Println("| workload | one-way delay | ratio of medians | pooled | per round |")
					fmt.Println("|---|---:|---|---:|---|")
					header = true
				}
				ma, mb := medians[runKey{pr[0], w, d}], medians[runKey{pr[1], w, d}]
				var rounds []string
				for i := range min(len(ma), len(mb)) {
					if mb[i] > 0 {
						rounds = append(rounds, fmt.Sprintf("%.2f", float64(ma[i])/float64(mb[i])))
					}
				}
				fmt.Printf("| %s | %v | %s / %s | %.2f | %s |\n", w, d, pr[0], pr[1],
					float64(a.median())/float64(b.median()), strings.Join(rounds, ", "))
			}
		}
	}
}

// median is the median latency of the keys shown (0 when none was).
func (r result) median() time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return s[len(s)/2]
}

// add pools another run of the same client, workload and delay.
func (r *result) add(o result) {
	r.lat = append(r.lat, o.lat...)
	r.missing += o.missing
	r.retracted += o.retracted
	if o.stats != nil {
		if r.stats == nil {
			r.stats = map[string]uint64{}
		}
		for k, v := range o.stats {
			r.stats[k] += v
		}
	}
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

// result is one client's run of one workload at one delay.
type result struct {
	client, workload string
	delay            time.Duration
	lat              []time.Duration // shown keys
	missing          int
	retracted        int
	stats            map[string]uint64 // gosh client's --stats
}

func (r result) row() string {
	s := slices.Clone(r.lat)
	slices.Sort(s)
	q := func(p float64) string {
		if len(s) == 0 {
			return "—"
		}
		return fmtDur(s[min(int(p*float64(len(s))), len(s)-1)])
	}
	under := func(d time.Duration) string {
		n := 0
		for _, v := range s {
			if v < d {
				n++
			}
		}
		total := len(s) + r.missing
		if total == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(total))
	}
	st := ""
	if r.stats != nil {
		st = fmt.Sprintf("keys %d, predicted %d, shown %d, confirmed %d, wrong %d (shown %d)",
			r.stats["Keys"], r.stats["Predicted"], r.stats["Shown"], r.stats["Confirmed"], r.stats["Wrong"], r.stats["WrongShown"])
	}
	name := map[string]string{"gosh": "gosh client ↔ gosh mosh-server", "mosh": "mosh-client ↔ mosh-server", "tmux": "local tmux pane", "gosh-local": "gosh alone (local mux daemon)"}[r.client]
	return fmt.Sprintf("| %s | %v | %s | %d | %s | %s | %s | %s | %d | %d | %s |",
		r.workload, r.delay, name, len(s)+r.missing, q(0.5), q(0.9), under(20*time.Millisecond), under(instant), r.missing, r.retracted, st)
}

func fmtDur(d time.Duration) string {
	if *flagMicros && d < 10*time.Millisecond {
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	}
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// procs stops what a run started, by PID.
type procs struct{ pids []int }

func (p *procs) add(pid int) { p.pids = append(p.pids, pid) }

func (p *procs) stop() {
	for _, pid := range p.pids {
		syscall.Kill(pid, syscall.SIGTERM)
	}
	for _, pid := range p.pids {
		for end := time.Now().Add(2 * time.Second); alive(pid) && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// alive reports whether pid runs (a zombie does not: nothing reaps
// orphans on these machines).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

var (
	connectRE  = regexp.MustCompile(`(?m)^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s*$`)
	detachedRE = regexp.MustCompile(`pid = (\d+)`)
)

// baseEnv is the environment of every server, shell and client.
func baseEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "LANG=C.UTF-8",
		"TERM=xterm-256color", "PS1=$ "}
}

// startServer runs `argv new … -- bash` and returns its port, key and PID.
// For gosh mosh-server it asks for --private (a terminal of its own, as
// mosh-server serves, not a session of the gosh daemon), and retries
// without it for builds that serve a private terminal by default.
func startServer(argv []string) (port int, key string, pid int, err error) {
	if len(argv) > 1 {
		port, key, pid, err = startServer1(append(slices.Clone(argv), "--private"))
		if err == nil {
			return
		}
	}
	return startServer1(argv)
}

func startServer1(argv []string) (port int, key string, pid int, err error) {
	args := append(argv[1:], "new", "-i", "127.0.0.1", "-p", "0", "--", "bash", "--norc", "--noprofile")
	cmd := exec.Command(argv[0], args...)
	cmd.Env = baseEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, "", 0, fmt.Errorf("%s: %v: %s", argv[0], err, stderr.String())
	}
	m := connectRE.FindSubmatch(out)
	d := detachedRE.FindStringSubmatch(stderr.String())
	if m == nil || d == nil {
		return 0, "", 0, fmt.Errorf("%s: no connect line or pid: %q %q", argv[0], out, stderr.String())
	}
	port, _ = strconv.Atoi(string(m[1]))
	pid, _ = strconv.Atoi(d[1])
	return port, string(m[2]), pid, nil
}

func runOne(client, workload string, delay time.Duration, gosh, dir string) (result, error) {
	r := result{client: client, workload: workload, delay: delay}
	var ps procs
	defer ps.stop()
	env := baseEnv()
	var argv []string
	statsFile := ""
	var tmuxSock string
	switch client {
	case "tmux":
		tmuxSock = fmt.Sprintf("echo-bench-%d", os.Getpid())
		argv = []string{"tmux", "-L", tmuxSock, "-f", "/dev/null", "new-session", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows),
			"bash --norc --noprofile"}
		defer exec.Command("tmux", "-L", tmuxSock, "kill-server").Run()
	case "gosh", "mosh":
		server := []string{"mosh-server"}
		if client == "gosh" {
			server = []string{gosh, "mosh-server"}
		}
		port, key, pid, err := startServer(server)
		if err != nil {
			return r, err
		}
		ps.add(pid)
		dport := port
		if delay > 0 {
			link := impair.Link{Delay: delay}
			proxy, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: "127.0.0.1:" + strconv.Itoa(port), Up: link, Down: link, Seed: 1})
			if err != nil {
				return r, err
			}
			defer proxy.Close()
			dport = proxy.Port()
		}
		env = append(env, "MOSH_KEY="+key)
		if client == "gosh" {
			statsFile = filepath.Join(dir, "stats.json")
			os.Remove(statsFile)
			argv = []string{gosh, "client", "--stats", statsFile, "127.0.0.1", strconv.Itoa(dport)}
		} else {
			argv = []string{"mosh-client", "127.0.0.1", strconv.Itoa(dport)}
		}
	case "gosh-local":
		// gosh alone: a private daemon (its own socket in dir, so a user's
		// real daemon is never touched), started here so its PID is ours
		// to stop, and `gosh new-session` attached to it locally.
		sock := filepath.Join(dir, "gosh-local.sock")
		os.Remove(sock)
		daemon := exec.Command(gosh, "-S", sock, "server", "daemon")
		daemon.Env = env
		daemon.Dir = "/"
		if err := daemon.Start(); err != nil {
			return r, err
		}
		ps.add(daemon.Process.Pid)
		go daemon.Wait()
		up := false
		for i := 0; i < 500 && !up; i++ {
			if c, err := net.Dial("unix", sock); err == nil {
				c.Close()
				up = true
			} else {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if !up {
			return r, fmt.Errorf("gosh daemon did not listen on %s", sock)
		}
		argv = []string{gosh, "-S", sock, "new-session", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), "bash --norc --noprofile"}
	default:
		return r, fmt.Errorf("unknown client %q", client)
	}
	t, err := startTerm(argv, env)
	if err != nil {
		return r, err
	}
	ps.add(t.cmd.Process.Pid)
	defer t.close()

	// The shell's prompt, then the workload.
	if _, ok := t.waitFor(startWait, atPrompt); !ok {
		return r, fmt.Errorf("no prompt; screen:\n%s", t.dump())
	}
	rtt := 2 * delay
	settle := 2*rtt + 300*time.Millisecond
	time.Sleep(settle)
	var err2 error
	switch workload {
	case "bash":
		err2 = replayBash(t, &r, settle)
	case "vim":
		err2 = replayVim(t, &r, settle)
	default:
		err2 = fmt.Errorf("unknown workload %q", workload)
	}
	// Quit the client: Ctrl-^ . for gosh and mosh (the session's shell
	// dies with its server), kill-server for tmux.
	if client == "tmux" {
		exec.Command("tmux", "-L", tmuxSock, "kill-server").Run()
	} else if client == "gosh-local" {
		t.write([]byte("exit\r"))
	} else {
		t.write([]byte{0x1e, '.'})
	}
	select {
	case <-t.exited:
	case <-time.After(5 * time.Second):
	}
	if statsFile != "" {
		if b, err := os.ReadFile(statsFile); err == nil {
			json.Unmarshal(b, &r.stats)
		}
	}
	return r, err2
}

// atPrompt: the cursor stands after "$ " or "# " at the end of its row.
func atPrompt(s *vt.Screen) bool {
	c := s.Cursor()
	line := rowText(s, c.Y)
	return c.X >= 2 && len(line) == c.X-1 && (strings.HasSuffix(line, "$") || strings.HasSuffix(line, "#"))
}

func rowText(s *vt.Screen, y int) string {
	var b strings.Builder
	for x := range cols {
		t := s.Cell(x, y).Text
		if t == "" {
			t = " "
		}
		b.WriteString(t)
	}
	return strings.TrimRight(b.String(), " ")
}

// key is one keystroke of a line and where its character must appear.
type key struct {
	b      byte
	x, y   int
	timed  bool // printable: its latency is measured
	sent   time.Time
	shown  time.Time
	gone   bool
	frozen bool
}

// typeLine types text from the cursor at (x0, y0), one key every gap,
// then leaves the screen to settle and judges the keys: latency, missing,
// retracted. DEL (0x7f) moves back one cell.
func typeLine(t *term, r *result, text string, x0, y0 int, settle time.Duration) {
	keys := make([]*key, 0, len(text))
	x := x0
	for i := 0; i < len(text); i++ {
		b := text[i]
		k := &key{b: b, y: y0}
		if b == 0x7f {
			x--
			// Everything typed at or after the new position is no
			// longer expected to stay.
			for _, o := range keys {
				if o.x >= x {
					o.frozen = true
				}
			}
		} else {
			k.x, k.timed = x, true
			x++
		}
		keys = append(keys, k)
	}
	t.observe(func(s *vt.Screen, at time.Time) {
		for _, k := range keys {
			if !k.timed || k.sent.IsZero() || k.frozen {
				continue
			}
			here := s.Cell(k.x, k.y).Text == string(k.b)
			if here && k.shown.IsZero() {
				k.shown = at
			} else if !here && !k.shown.IsZero() && !k.gone {
				k.gone = true
			}
		}
	})
	for _, k := range keys {
		next := time.Now().Add(*flagGap)
		t.mu.Lock()
		k.sent = time.Now()
		t.mu.Unlock()
		t.write([]byte{k.b})
		time.Sleep(time.Until(next))
	}
	// Wait for the last keys, then let corrections arrive.
	deadline := time.Now().Add(keyWait)
	for _, k := range keys {
		if !k.timed || k.frozen {
			continue
		}
		for time.Now().Before(deadline) {
			t.mu.Lock()
			ok := !k.shown.IsZero()
			t.mu.Unlock()
			if ok {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	time.Sleep(settle)
	t.observe(nil)
	for _, k := range keys {
		if !k.timed || k.frozen {
			continue
		}
		switch {
		case k.shown.IsZero():
			r.missing++
		default:
			r.lat = append(r.lat, k.shown.Sub(k.sent))
			if *flagVerbose {
				fmt.Printf("  %q %v\n", k.b, k.shown.Sub(k.sent))
			}
		}
		if k.gone {
			r.retracted++
		}
	}
}

var bashSession = []string{
	"echo hello world",
	"ls -d /usr/share/doc",
	"cd /tmp && pwd",
	"ecgo\x7f\x7fho typo fixed",
	"printf '%s\\n' one two three",
	"grep -c root /etc/passwd",
	"echo the quick brown fox",
	"date +%Y",
}

func replayBash(t *term, r *result, settle time.Duration) error {
	for _, line := range bashSession {
		var x0, y0 int
		t.withScreen(func(s *vt.Screen) {
			c := s.Cursor()
			x0, y0 = c.X, c.Y
			if y0 > rows-6 { // keep clear of scrolling while typing
				x0 = -1
			}
		})
		if x0 < 0 {
			t.write([]byte("clear\r"))
			time.Sleep(settle)
			if _, ok := t.waitFor(startWait, func(s *vt.Screen) bool { return atPrompt(s) && s.Cursor().Y == 0 }); !ok {
				return fmt.Errorf("no prompt after clear:\n%s", t.dump())
			}
			time.Sleep(settle)
			t.withScreen(func(s *vt.Screen) { c := s.Cursor(); x0, y0 = c.X, c.Y })
		}
		typeLine(t, r, line, x0, y0, settle)
		t.write([]byte("\r"))
		if _, ok := t.waitFor(startWait, func(s *vt.Screen) bool { return atPrompt(s) && s.Cursor().Y > y0 }); !ok {
			return fmt.Errorf("no prompt after %q:\n%s", line, t.dump())
		}
		time.Sleep(settle)
	}
	return nil
}

var vimText = []string{
	"It was a bright cold day in April, and",
	"the clocks were striking thirteen.",
	"Winston Smith, his chin nuzzled into",
	"his breast in an effort to escape the",
	"vile wind, slipped quickly through.",
}

func replayVim(t *term, r *result, settle time.Duration) error {
	t.write([]byte("vim -u NONE -N -n /tmp/echo-bench-vim.txt\r"))
	if _, ok := t.waitFor(startWait, func(s *vt.Screen) bool {
		return strings.HasPrefix(rowText(s, 1), "~") && s.Cursor().Y == 0 && s.Cursor().X == 0
	}); !ok {
		return fmt.Errorf("vim did not start:\n%s", t.dump())
	}
	time.Sleep(settle)
	t.write([]byte("i"))
	time.Sleep(settle)
	for i, line := range vimText {
		typeLine(t, r, line, 0, i, settle)
		if i < len(vimText)-1 {
			t.write([]byte("\r"))
			if _, ok := t.waitFor(startWait, func(s *vt.Screen) bool { return s.Cursor().Y == i+1 && s.Cursor().X == 0 }); !ok {
				return fmt.Errorf("vim: no new line:\n%s", t.dump())
			}
			time.Sleep(settle)
		}
	}
	t.write([]byte("\x1b"))
	time.Sleep(settle)
	t.write([]byte(":q!\r"))
	if _, ok := t.waitFor(startWait, atPrompt); !ok {
		return fmt.Errorf("vim did not quit:\n%s", t.dump())
	}
	return nil
}

// term is the user's terminal: a pty this program owns, its output parsed
// into a vt.Screen as it is read.
type term struct {
	cmd    *exec.Cmd
	ptmx   *os.File
	exited chan struct{}

	mu      sync.Mutex // guards the fields below
	scr     *vt.Screen
	changed chan struct{}
	obs     func(*vt.Screen, time.Time)
	wmu     sync.Mutex // serialises writes to the pty
}

func startTerm(argv, env []string) (*term, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: cols, Rows: rows})
	if err != nil {
		return nil, err
	}
	t := &term{cmd: cmd, ptmx: ptmx, exited: make(chan struct{}), scr: vt.NewScreen(cols, rows), changed: make(chan struct{}, 1)}
	// Answer the client's terminal queries (DA, DSR…) as a terminal does.
	t.scr.SetReplyWriter(replyWriter{t})
	go func() { cmd.Wait(); close(t.exited) }()
	go t.readLoop()
	return t, nil
}

type replyWriter struct{ t *term }

func (w replyWriter) Write(b []byte) (int, error) {
	c := append([]byte(nil), b...)
	go w.t.write(c) // not under t.mu: the reader holds it
	return len(b), nil
}

func (t *term) write(b []byte) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	t.ptmx.Write(b)
}

func (t *term) readLoop() {
	buf := make([]byte, 64<<10)
	for {
		n, err := t.ptmx.Read(buf)
		if n > 0 {
			at := time.Now()
			t.mu.Lock()
			t.scr.Write(buf[:n])
			if t.obs != nil {
				t.obs(t.scr, at)
			}
			t.mu.Unlock()
			select {
			case t.changed <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// observe runs f (under the screen's lock) after every read; nil stops.
func (t *term) observe(f func(*vt.Screen, time.Time)) {
	t.mu.Lock()
	t.obs = f
	t.mu.Unlock()
}

func (t *term) withScreen(f func(*vt.Screen)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(t.scr)
}

// waitFor polls cond on every change until it holds or bound passes.
func (t *term) waitFor(bound time.Duration, cond func(*vt.Screen) bool) (time.Time, bool) {
	end := time.Now().Add(bound)
	for {
		var ok bool
		t.withScreen(func(s *vt.Screen) { ok = cond(s) })
		if ok {
			return time.Now(), true
		}
		if time.Now().After(end) {
			return time.Time{}, false
		}
		select {
		case <-t.changed:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (t *term) dump() string {
	var b strings.Builder
	t.withScreen(func(s *vt.Screen) {
		for y := range rows {
			b.WriteString(rowText(s, y))
			b.WriteByte('\n')
		}
	})
	return b.String()
}

func (t *term) close() {
	t.ptmx.Close()
	if alive(t.cmd.Process.Pid) {
		t.cmd.Process.Kill()
	}
}
