// Command ssp compares gosh's transport with mosh's on the same machine in
// the same run: datagrams and bytes on the wire each way, and the server's
// CPU seconds, for two workloads, through a lossy, delayed link.
//
//	go run ./bench/ssp [-loss 0.2] [-delay 50ms] [-runs N]   # from the repository root
//
// Four pairings, each a fresh server and client per run: mosh-client ↔
// mosh-server (the baseline), mosh-client ↔ gosh mosh-server, gosh client ↔
// mosh-server, gosh client ↔ gosh mosh-server. The client runs in a private
// tmux pane (80x24) that plays the user's terminal; the server runs /bin/sh.
// Between them sits the user-space impairment proxy ssp/conn/impair with
// -delay and -loss on each direction, and on each side of it a counting
// relay, so the bytes and datagrams reported are what each endpoint sent
// (before the proxy dropped any).
//
// Workloads, in one session, each measured from its start until the
// screen shows it done and the link has been quiet for 500 ms:
//
//   - typing: 100 characters typed one by one (20–50 ms apart, tmux
//     send-keys into the outer pane), until the last one is on screen,
//     then Enter and the next prompt;
//   - output: `cat` of a 10 MB file of base64 lines (the same bytes every
//     run) and a completion marker printed after it.
//
// Server CPU is the time the server process's threads spent on a CPU
// (/proc/PID/task/*/schedstat, in nanoseconds; the PID that mosh-server
// and gosh mosh-server print when they detach), not its children's (the
// shell, cat); utime+stime (10 ms ticks) is printed beside it. Wall time is information only. The datagrams are also
// decoded with the session key to count instructions, resends, states and
// diff sizes, and the server's context switches are counted: they explain
// the bytes and the CPU. The table gives medians over
// -runs and ratios against the mosh ↔ mosh baseline of the same run; the
// last line is the verdict against issue 3's aim: no more bytes and no more
// CPU than mosh on either workload.
//
// Every process started is stopped by its PID at the end of its session,
// also on failure or interrupt; tmux uses a private -L socket; the network
// is loopback only. It is a benchmark: it asserts nothing.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/goshterm/gosh/ssp/conn/impair"
)

var (
	flagLoss     = flag.Float64("loss", 0.2, "probability a datagram is dropped, each direction")
	flagDelay    = flag.Duration("delay", 50*time.Millisecond, "one-way delay, each direction")
	flagRuns     = flag.Int("runs", 1, "sessions per pairing; medians are reported")
	flagGosh     = flag.String("gosh", "", "gosh binary to use (default: go build ./cmd/gosh into a temporary directory)")
	flagPairings = flag.String("pairings", "1,2,3,4", "which pairings to run (1 mosh↔mosh, 2 mosh-client↔gosh, 3 gosh client↔mosh-server, 4 gosh↔gosh)")
	flagChars    = flag.Int("chars", 100, "characters typed in the typing workload")
	flagOutput   = flag.Int("output", 10_000_000, "bytes of output in the output workload")
	flagSeed     = flag.Uint64("seed", 1, "seed of the proxy's loss draws and the typing rhythm")
	flagVerbose  = flag.Bool("v", false, "print each session's figures as it ends")
	flagTrace    = flag.String("trace", "", "directory: log every datagram and instruction, as sent and as delivered, per session (RUN-PAIRING.trace)")
	flagPerf     = flag.String("perf", "", "directory: record the server with perf(1) during each workload (perf's own cost lands in the CPU figures; for leads, not for tables)")
)

// Bounds of the polls.
const (
	connectWait = 40 * time.Second  // client shows the shell's first output
	echoWait    = 60 * time.Second  // typed text / prompt on screen
	outputWait  = 300 * time.Second // 10 MB and the marker on screen
	quietFor    = 500 * time.Millisecond
	quietWait   = 10 * time.Second
	idleFor     = 5 * time.Second
	pollEvery   = 50 * time.Millisecond
	prompt      = "ssp>"
	endMarker   = "_END_"
)

type pairing struct {
	n              int
	client, server string // "mosh" or "gosh"
}

func (p pairing) String() string {
	c := "mosh-client"
	if p.client == "gosh" {
		c = "gosh client"
	}
	s := "mosh-server"
	if p.server == "gosh" {
		s = "gosh mosh-server"
	}
	return c + " ↔ " + s
}

var allPairings = []pairing{{1, "mosh", "mosh"}, {2, "mosh", "gosh"}, {3, "gosh", "mosh"}, {4, "gosh", "gosh"}}

// measure is one workload's cost in one session.
type measure struct {
	Up, Down   flow          // sent by the client / by the server
	Lost       [2]uint64     // dropped by the proxy, up and down
	CPU        time.Duration // server process utime+stime (10 ms ticks)
	OnCPU      time.Duration // server threads' time on a CPU (schedstat, ns): the CPU figure
	Wall       time.Duration // start until the screen shows it done
	LastEchoMs float64       // typing: last key sent until it is on screen
	UpA, DownA anatomy       // the datagrams decoded
	Switches   uint64        // server context switches, all threads
}

type session struct {
	idle           measure // connected, nothing typed, idleFor long
	typing, output measure
	err            error
}

type env struct {
	gosh    string
	dir     string
	outFile string
	typed   string
	seq     int
	mark    func(string) // notes a phase in the trace
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench/ssp: ")
	flag.Parse()
	workloads[0].title = fmt.Sprintf("typing %d characters", *flagChars)
	workloads[1].title = fmt.Sprintf("%s of output", byteSize(*flagOutput))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stopAll()
		log.Fatal("interrupted; stopped every process started")
	}()
	defer stopAll()

	for _, tool := range []string{"tmux", "mosh-server", "mosh-client"} {
		if _, err := exec.LookPath(tool); err != nil {
			log.Fatalf("%s is not installed (apt-get install -y tmux mosh)", tool)
		}
	}
	dir, err := os.MkdirTemp("", "bench-ssp-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	e := &env{dir: dir, gosh: *flagGosh, mark: func(string) {}}
	if e.gosh == "" {
		e.gosh = filepath.Join(dir, "gosh")
		if out, err := exec.Command("go", "build", "-o", e.gosh, "github.com/goshterm/gosh/cmd/gosh").CombinedOutput(); err != nil {
			log.Fatalf("go build ./cmd/gosh: %v\n%s", err, out)
		}
	}
	e.outFile = filepath.Join(dir, "output.txt")
	if err := writeOutput(e.outFile, *flagOutput); err != nil {
		log.Fatal(err)
	}
	e.typed = typedText(*flagChars)

	var pairs []pairing
	for _, f := range strings.Split(*flagPairings, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 4 {
			log.Fatalf("-pairings: %q is not 1–4", f)
		}
		pairs = append(pairs, allPairings[n-1])
	}

	results := map[int][]session{}
	start := time.Now()
	// Runs are interleaved (1 2 3 4 1 2 3 4 …) so that the machine's load
	// drifts over all pairings alike.
	for r := 0; r < *flagRuns; r++ {
		for _, p := range pairs {
			s := e.runSession(p, *flagSeed+uint64(r))
			results[p.n] = append(results[p.n], s)
			if s.err != nil {
				fmt.Fprintf(os.Stderr, "run %d %v: FAILED: %v\n", r+1, p, s.err)
			} else if *flagVerbose {
				fmt.Fprintf(os.Stderr, "run %d %v: idle %s | typing %s | output %s\n", r+1, p, s.idle.brief(), s.typing.brief(), s.output.brief())
			}
		}
	}
	report(os.Stdout, pairs, results, time.Since(start))
}

func (m measure) brief() string {
	return fmt.Sprintf("up %d/%dB down %d/%dB lost %d/%d cpu %.4fs (ticks %.2fs) switches %d wall %.2fs; up %v; down %v",
		m.Up.Dgrams, m.Up.Bytes, m.Down.Dgrams, m.Down.Bytes, m.Lost[0], m.Lost[1], m.OnCPU.Seconds(), m.CPU.Seconds(), m.Switches, m.Wall.Seconds(), m.UpA, m.DownA)
}

// typedText is n characters to type at the prompt: a shell comment ("#"
// then lowercase letters, no spaces, so that a line break on screen never
// hides a trailing blank) that the shell ignores on Enter.
func typedText(n int) string {
	rng := rand.New(rand.NewPCG(7, 7))
	b := []byte{'#'}
	for len(b) < n {
		b = append(b, byte('a'+rng.IntN(26)))
	}
	return string(b[:n])
}

// writeOutput writes n bytes of base64 lines (76 columns, as base64(1)
// writes them) of seeded pseudo-random data: incompressible like
// /dev/urandom | base64, but the same bytes in every run and pairing.
func writeOutput(path string, n int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	raw := make([]byte, 57) // 76 base64 characters
	var b strings.Builder
	line := make([]byte, 76)
	for b.Len() < n {
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		base64.StdEncoding.Encode(line, raw)
		b.Write(line)
		b.WriteByte('\n')
	}
	s := b.String()[:n-1] + "\n"
	return os.WriteFile(path, []byte(s), 0o644)
}

var (
	connectRE = regexp.MustCompile(`MOSH CONNECT (\d+) (\S+)`)
	pidRE     = regexp.MustCompile(`pid = (\d+)`)
)

// freeUDPPort returns a loopback UDP port that was free a moment ago.
func freeUDPPort() (int, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// startServer runs `mosh-server new` or `gosh mosh-server new` on a free
// loopback port with /bin/sh, and returns its port, key and detached PID.
func (e *env) startServer(kind, dir string) (port int, key string, pid int, err error) {
	for attempt := 0; attempt < 3; attempt++ {
		var p int
		if p, err = freeUDPPort(); err != nil {
			return
		}
		args := []string{"new", "-i", "127.0.0.1", "-p", strconv.Itoa(p), "--", "/bin/sh"}
		name := "mosh-server"
		if kind == "gosh" {
			// --private: a pty of its own, as mosh-server serves, not a
			// session of the gosh daemon.
			name, args = e.gosh, append([]string{"mosh-server", "--private"}, args...)
		}
		outPath, errPath := filepath.Join(dir, "server.out"), filepath.Join(dir, "server.err")
		var out, errf *os.File
		if out, err = os.Create(outPath); err != nil {
			return
		}
		if errf, err = os.Create(errPath); err != nil {
			out.Close()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		cmd := exec.CommandContext(ctx, name, args...)
		// PS1 gives a prompt the benchmark recognises; ENV= keeps the
		// user's shell start-up files out.
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "PS1="+prompt+" ", "ENV=")
		cmd.Stdout, cmd.Stderr = out, errf
		runErr := cmd.Run()
		cancel()
		out.Close()
		errf.Close()
		so, _ := os.ReadFile(outPath)
		se, _ := os.ReadFile(errPath)
		if m := pidRE.FindSubmatch(se); m != nil {
			pid, _ = strconv.Atoi(string(m[1]))
			track(pid, kind+" server")
		}
		m := connectRE.FindSubmatch(so)
		if runErr == nil && m != nil && pid > 0 {
			port, _ = strconv.Atoi(string(m[1]))
			return port, string(m[2]), pid, nil
		}
		err = fmt.Errorf("%s server did not start (%v): stdout %q stderr %q", kind, runErr, so, se)
		if pid > 0 {
			stop(pid)
		}
	}
	return
}

// runSession starts one server and one client, runs both workloads, and
// stops everything it started.
func (e *env) runSession(p pairing, seed uint64) (res session) {
	defer stopAll()
	e.seq++
	dir, err := os.MkdirTemp(e.dir, "s")
	if err != nil {
		res.err = err
		return
	}
	port, key, spid, err := e.startServer(p.server, dir)
	if err != nil {
		res.err = err
		return
	}

	upDec, err := newDecoder(key)
	if err != nil {
		res.err = err
		return
	}
	downDec, _ := newDecoder(key)
	var upDeliv, downDeliv *decoder // trace only: what the proxy let through
	if *flagTrace != "" {
		f, err := os.Create(filepath.Join(*flagTrace, fmt.Sprintf("%d-%d.trace", e.seq, p.n)))
		if err != nil {
			res.err = err
			return
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		defer bw.Flush()
		tr := &tracer{w: bw, t0: time.Now()}
		fmt.Fprintf(bw, "# %v, loss %v, delay %v, seed %d; times in ms\n", p, *flagLoss, *flagDelay, seed)
		upDeliv, _ = newDecoder(key)
		downDeliv, _ = newDecoder(key)
		upDec.trace, upDec.tap = tr, "up-sent"
		upDeliv.trace, upDeliv.tap = tr, "up-deliv"
		downDec.trace, downDec.tap = tr, "down-sent"
		downDeliv.trace, downDeliv.tap = tr, "down-deliv"
		e.mark = func(what string) { tr.printf("=== %s", what) }
		defer func() { e.mark = func(string) {} }()
	}
	var last atomic.Int64
	rs, err := newRelay(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}, &last, upDeliv, downDec)
	if err != nil {
		res.err = err
		return
	}
	defer rs.close()
	link := impair.Link{Delay: *flagDelay, Loss: *flagLoss}
	px, err := impair.New(impair.Config{Listen: "127.0.0.1:0", Server: rs.addr().String(), Up: link, Down: link, Seed: seed})
	if err != nil {
		res.err = err
		return
	}
	defer px.Close()
	rc, err := newRelay(px.Addr(), &last, upDec, downDeliv)
	if err != nil {
		res.err = err
		return
	}
	defer rc.close()

	cport := strconv.Itoa(rc.addr().Port)
	argv := []string{"mosh-client", "127.0.0.1", cport}
	if p.client == "gosh" {
		argv = []string{e.gosh, "client", "127.0.0.1", cport}
	}
	x, err := startTmux(dir, fmt.Sprintf("ssp-bench-%d-%d", os.Getpid(), e.seq),
		[]string{"MOSH_KEY=" + key, "LANG=C.UTF-8"}, argv...)
	if x != nil {
		defer x.kill()
	}
	if err != nil {
		res.err = err
		return
	}
	fail := func(what, screen string) error {
		return fmt.Errorf("%s; client alive %v, server alive %v; proxy %+v; screen:\n%s",
			what, alive(x.panePID), alive(spid), px.Stats(), indent(screen))
	}

	// Connected when the shell's output reaches the screen. The quotes
	// keep the typed command from matching.
	if err := x.typeText("echo RE''ADY"); err != nil {
		res.err = err
		return
	}
	x.keys("Enter")
	if s, ok := x.waitScreen(connectWait, pollEvery, func(s string) bool { return hasLine(s, "READY") }); !ok {
		res.err = fail("the shell's output (READY) never appeared", s)
		return
	}
	for _, c := range children(spid) {
		track(c, "shell")
	}

	snap := func() (measure, error) {
		cpu, err := cpuTime(spid)
		st := px.Stats()
		return measure{Up: rc.up.snap(), Down: rs.down.snap(), CPU: cpu, OnCPU: onCPU(spid), UpA: upDec.snap(), DownA: downDec.snap(),
			Switches: ctxSwitches(spid),
			Lost:     [2]uint64{st.Up.Lost + st.Up.Overflow, st.Down.Lost + st.Down.Overflow}}, err
	}
	delta := func(a, b measure) measure {
		return measure{Up: b.Up.sub(a.Up), Down: b.Down.sub(a.Down), CPU: b.CPU - a.CPU, OnCPU: b.OnCPU - a.OnCPU,
			UpA: b.UpA.sub(a.UpA), DownA: b.DownA.sub(a.DownA), Switches: b.Switches - a.Switches,
			Lost: [2]uint64{b.Lost[0] - a.Lost[0], b.Lost[1] - a.Lost[1]}}
	}
	quiet := func() bool {
		for end := time.Now().Add(quietWait); time.Now().Before(end); time.Sleep(pollEvery) {
			if time.Since(time.Unix(0, last.Load())) >= quietFor {
				return true
			}
		}
		return false
	}
	joined := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
	atPrompt := func(s string) bool { return lastLine(s) == prompt }

	// Start both workloads from a quiet link and a prompt.
	if s, ok := x.waitScreen(echoWait, pollEvery, atPrompt); !ok {
		res.err = fail("no prompt after READY", s)
		return
	}
	quiet()

	// Idle: what the connection costs with nothing happening (heartbeats,
	// timers); information only, but it is part of the typing figures.
	before, err := snap()
	if err != nil {
		res.err = err
		return
	}
	time.Sleep(idleFor) // a measurement window, not a wait for a condition
	after, err := snap()
	if err != nil {
		res.err = err
		return
	}
	res.idle = delta(before, after)
	res.idle.Wall = idleFor

	// Typing.
	if before, err = snap(); err != nil {
		res.err = err
		return
	}
	e.mark("typing starts")
	stopPerf := e.perf(spid, p, "typing")
	rhythm := rand.New(rand.NewPCG(seed, 3))
	t0 := time.Now()
	var lastKey time.Time
	for i, c := range e.typed {
		if i > 0 {
			time.Sleep(time.Duration(20+rhythm.IntN(31)) * time.Millisecond)
		}
		lastKey = time.Now()
		if err := x.typeText(string(c)); err != nil {
			res.err = err
			return
		}
	}
	if s, ok := x.waitScreen(echoWait, 10*time.Millisecond, func(s string) bool { return strings.Contains(joined(s), e.typed) }); !ok {
		res.err = fail("typed text never fully on screen", s)
		return
	}
	shown := time.Now()
	x.keys("Enter")
	if s, ok := x.waitScreen(echoWait, pollEvery, atPrompt); !ok {
		res.err = fail("no prompt after the typed line", s)
		return
	}
	quiet()
	if after, err = snap(); err != nil {
		res.err = err
		return
	}
	stopPerf()
	res.typing = delta(before, after)
	res.typing.Wall = shown.Sub(t0)
	res.typing.LastEchoMs = float64(shown.Sub(lastKey)) / float64(time.Millisecond)

	// Output.
	if before, err = snap(); err != nil {
		res.err = err
		return
	}
	e.mark("output starts")
	stopPerf = e.perf(spid, p, "output")
	t0 = time.Now()
	x.typeText("cat " + e.outFile + "; echo _E''ND_")
	x.keys("Enter")
	if s, ok := x.waitScreen(outputWait, 100*time.Millisecond, func(s string) bool { return hasLine(s, endMarker) }); !ok {
		res.err = fail("the end marker never appeared after the output", s)
		return
	}
	res.output.Wall = time.Since(t0)
	e.mark("end marker on screen")
	if s, ok := x.waitScreen(echoWait, pollEvery, atPrompt); !ok {
		res.err = fail("no prompt after the output", s)
		return
	}
	quiet()
	if after, err = snap(); err != nil {
		res.err = err
		return
	}
	stopPerf()
	wall := res.output.Wall
	res.output = delta(before, after)
	res.output.Wall = wall
	if !alive(spid) {
		res.err = errors.New("server exited during the session")
	}
	return res
}

// perf starts `perf record` on the server process if -perf is set and
// returns a function that stops it (SIGINT, by PID) and waits for it.
func (e *env) perf(pid int, p pairing, what string) func() {
	if *flagPerf == "" {
		return func() {}
	}
	out := filepath.Join(*flagPerf, fmt.Sprintf("%d-%s-%s.data", p.n, p.server, what))
	cmd := exec.Command("perf", "record", "-q", "-g", "-F", "2000", "-p", strconv.Itoa(pid), "-o", out)
	if err := cmd.Start(); err != nil {
		log.Printf("perf: %v", err)
		return func() {}
	}
	track(cmd.Process.Pid, "perf")
	time.Sleep(300 * time.Millisecond) // perf attaches asynchronously
	return func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n ")
	return "    | " + strings.ReplaceAll(s, "\n", "\n    | ")
}

// median of the values f picks from the successful sessions.
func median(ss []session, f func(session) float64) float64 {
	var v []float64
	for _, s := range ss {
		if s.err == nil {
			v = append(v, f(s))
		}
	}
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func ok(ss []session) int {
	n := 0
	for _, s := range ss {
		if s.err == nil {
			n++
		}
	}
	return n
}

func ratio(a, b float64) string {
	if b == 0 {
		if a == 0 {
			return "1.00"
		}
		return "∞"
	}
	return fmt.Sprintf("%.2f", a/b)
}

type workload struct {
	title string
	pick  func(session) measure
}

var workloads = []workload{
	{"typing 100 characters", func(s session) measure { return s.typing }},
	{"10 MB of output", func(s session) measure { return s.output }},
}

// byteSize writes n bytes as the workload titles do: "10 MB", "2 MB",
// "500000 B".
func byteSize(n int) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%d MB", n/1_000_000)
	}
	return fmt.Sprintf("%d B", n)
}

// report prints one Markdown table per workload and the verdict.
func report(w *os.File, pairs []pairing, results map[int][]session, took time.Duration) {
	host, _ := os.Hostname()
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(w, "bench/ssp %s: loss %.0f%% and delay %v each way, %d run(s), %s/%s, %d CPUs, host %s, load %s, took %v\n",
		time.Now().Format("2006-01-02 15:04"), *flagLoss*100, *flagDelay, *flagRuns,
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), host, strings.Join(strings.Fields(string(load))[:3], " "), took.Round(time.Second))
	for i, wl := range workloads {
		title := wl.title
		fmt.Fprintf(w, "\n%s (medians; ×mosh is the ratio to mosh-client ↔ mosh-server)\n\n", title)
		fmt.Fprintln(w, "| pairing | runs | datagrams up | bytes up | datagrams down | bytes down | bytes ×mosh | server CPU s | CPU ×mosh | ticks s | wall s |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		base := results[1]
		for _, p := range pairs {
			ss := results[p.n]
			if ok(ss) == 0 {
				fmt.Fprintf(w, "| %v | 0 | failed: %s | | | | | | | | |\n", p, oneLine(firstErr(ss)))
				continue
			}
			get := func(f func(measure) float64) func(session) float64 {
				return func(s session) float64 { return f(wl.pick(s)) }
			}
			bytes := get(func(m measure) float64 { return float64(m.Up.Bytes + m.Down.Bytes) })
			cpu := get(func(m measure) float64 { return m.OnCPU.Seconds() })
			br, cr := "—", "—"
			if ok(base) > 0 {
				br, cr = ratio(median(ss, bytes), median(base, bytes)), ratio(median(ss, cpu), median(base, cpu))
			}
			fmt.Fprintf(w, "| %v | %d | %.0f | %.0f | %.0f | %.0f | %s | %.4f | %s | %.2f | %.2f |\n", p, ok(ss),
				median(ss, get(func(m measure) float64 { return float64(m.Up.Dgrams) })),
				median(ss, get(func(m measure) float64 { return float64(m.Up.Bytes) })),
				median(ss, get(func(m measure) float64 { return float64(m.Down.Dgrams) })),
				median(ss, get(func(m measure) float64 { return float64(m.Down.Bytes) })),
				br, median(ss, cpu), cr, median(ss, get(func(m measure) float64 { return m.CPU.Seconds() })),
				median(ss, get(func(m measure) float64 { return m.Wall.Seconds() })))
		}
		if i == 0 {
			fmt.Fprint(w, "\nlast key → on screen, ms (median):")
			for _, p := range pairs {
				if ok(results[p.n]) > 0 {
					fmt.Fprintf(w, " %d) %.0f", p.n, median(results[p.n], func(s session) float64 { return s.typing.LastEchoMs }))
				}
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "\nwhat the datagrams carried (decoded with the session key; medians): instructions sent, those with a diff, resent, distinct states, diff bytes before zlib, instruction bytes after zlib")
	for _, wl := range workloads {
		fmt.Fprintf(w, "\n%s:\n\n", wl.title)
		fmt.Fprintln(w, "| pairing | dir | datagrams | instr | with diff | resent | states | diff B raw | zlib B | raw B/state |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, p := range pairs {
			ss := results[p.n]
			if ok(ss) == 0 {
				continue
			}
			for _, dir := range []string{"up", "down"} {
				f := func(g func(anatomy) uint64) float64 {
					return median(ss, func(s session) float64 {
						m := wl.pick(s)
						if dir == "up" {
							return float64(g(m.UpA))
						}
						return float64(g(m.DownA))
					})
				}
				states, raw := f(func(a anatomy) uint64 { return a.States }), f(func(a anatomy) uint64 { return a.DiffBytes })
				per := 0.0
				if states > 0 {
					per = raw / states
				}
				fmt.Fprintf(w, "| %v | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", p, dir,
					f(func(a anatomy) uint64 { return a.Datagrams }), f(func(a anatomy) uint64 { return a.Instr }),
					f(func(a anatomy) uint64 { return a.Data }), f(func(a anatomy) uint64 { return a.Resent }),
					states, raw, f(func(a anatomy) uint64 { return a.ZlibBytes }), per)
			}
		}
	}
	fmt.Fprintln(w, "\nserver context switches, all threads (medians; each is a sleep and a wakeup):")
	fmt.Fprintln(w)
	for _, p := range pairs {
		ss := results[p.n]
		if ok(ss) == 0 {
			continue
		}
		fmt.Fprintf(w, "- %v:", p)
		for _, wl := range workloads {
			fmt.Fprintf(w, " %s %.0f;", wl.title, median(ss, func(s session) float64 { return float64(wl.pick(s).Switches) }))
		}
		fmt.Fprintf(w, " idle %.0f\n", median(ss, func(s session) float64 { return float64(s.idle.Switches) }))
	}
	fmt.Fprintf(w, "\nidle %v, connected, nothing typed (medians): datagrams up/down, bytes up/down, server CPU s (on-CPU, ticks):\n\n", idleFor)
	for _, p := range pairs {
		ss := results[p.n]
		if ok(ss) == 0 {
			continue
		}
		f := func(g func(measure) float64) float64 { return median(ss, func(s session) float64 { return g(s.idle) }) }
		fmt.Fprintf(w, "- %v: %.0f/%.0f datagrams, %.0f/%.0f bytes, %.4f s (ticks %.2f s)\n", p,
			f(func(m measure) float64 { return float64(m.Up.Dgrams) }), f(func(m measure) float64 { return float64(m.Down.Dgrams) }),
			f(func(m measure) float64 { return float64(m.Up.Bytes) }), f(func(m measure) float64 { return float64(m.Down.Bytes) }),
			f(func(m measure) float64 { return m.OnCPU.Seconds() }), f(func(m measure) float64 { return m.CPU.Seconds() }))
	}
	fmt.Fprintf(w, "\n%s\n", verdict(results))
	for _, p := range pairs {
		for r, s := range results[p.n] {
			if s.err != nil {
				fmt.Fprintf(w, "\nrun %d %v failed: %v\n", r+1, p, s.err)
			}
		}
	}
}

func firstErr(ss []session) error {
	for _, s := range ss {
		if s.err != nil {
			return s.err
		}
	}
	return nil
}

func oneLine(err error) string {
	if err == nil {
		return ""
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.ReplaceAll(s, "|", "/")
}

// verdict judges gosh ↔ gosh against mosh ↔ mosh on issue 3's aim.
func verdict(results map[int][]session) string {
	base, g := results[1], results[4]
	if ok(base) == 0 || ok(g) == 0 {
		return "verdict: cannot judge: gosh ↔ gosh or mosh ↔ mosh did not complete a run"
	}
	var parts, lost []string
	for _, wl := range workloads {
		bytes := func(s session) float64 { m := wl.pick(s); return float64(m.Up.Bytes + m.Down.Bytes) }
		cpu := func(s session) float64 { return wl.pick(s).OnCPU.Seconds() }
		gb, mb := median(g, bytes), median(base, bytes)
		gc, mc := median(g, cpu), median(base, cpu)
		parts = append(parts, fmt.Sprintf("%s: bytes %s×, CPU %s×", wl.title, ratio(gb, mb), ratio(gc, mc)))
		if gb > mb {
			lost = append(lost, wl.title+" bytes")
		}
		if gc > mc {
			lost = append(lost, wl.title+" CPU")
		}
	}
	v := "MET"
	if len(lost) > 0 {
		v = "NOT MET (more than mosh: " + strings.Join(lost, ", ") + ")"
	}
	return "verdict (gosh ↔ gosh vs mosh ↔ mosh; aim: no more bytes and no more CPU than mosh on either workload): " +
		v + "; " + strings.Join(parts, "; ")
}
