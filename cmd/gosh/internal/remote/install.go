package remote

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
)

// installScript runs on the host under sh (whatever the login shell is):
// it reports `uname -sm`, waits for the client's "yes", receives the
// binary on stdin into ~/.local/bin/gosh.tmp, checks its SHA-256 against
// $1, moves it into place and execs it with the remaining arguments
// (`server attach …`), so install and attach share one ssh connection and
// the user authenticates once.
const installScript = `set -e
printf 'GOSH UNAME %s\n' "$(uname -sm)"
read ok
[ "$ok" = yes ] || exit 3
d="$HOME/.local/bin"
mkdir -p "$d"
cat > "$d/gosh.tmp"
h=$( (sha256sum "$d/gosh.tmp" 2>/dev/null || shasum -a 256 "$d/gosh.tmp") | cut -d' ' -f1)
if [ "$h" != "$1" ]; then rm -f "$d/gosh.tmp"; printf 'GOSH SHA256 %s\n' "$h"; exit 4; fi
chmod 755 "$d/gosh.tmp"
mv -f "$d/gosh.tmp" "$d/gosh"
printf 'GOSH INSTALLED %s\n' "$d/gosh"
shift
exec "$d/gosh" "$@"
`

// unameOf maps Go's GOOS/GOARCH to what `uname -sm` prints there.
func unameOf(goos, goarch string) []string {
	sys := map[string]string{"linux": "Linux", "darwin": "Darwin", "freebsd": "FreeBSD", "openbsd": "OpenBSD", "netbsd": "NetBSD"}[goos]
	var machines []string
	switch goarch {
	case "amd64":
		machines = []string{"x86_64", "amd64"}
	case "arm64":
		machines = []string{"aarch64", "arm64"}
	case "386":
		machines = []string{"i386", "i486", "i586", "i686"}
	case "arm":
		machines = []string{"armv6l", "armv7l", "armv7", "armv6"}
	case "riscv64":
		machines = []string{"riscv64"}
	case "ppc64le":
		machines = []string{"ppc64le"}
	case "s390x":
		machines = []string{"s390x"}
	}
	out := make([]string, len(machines))
	for i, m := range machines {
		out[i] = sys + " " + m
	}
	return out
}

// UnameMatches reports whether `uname -sm` output u names a system this
// binary (GOOS/GOARCH) runs on.
func UnameMatches(u, goos, goarch string) bool {
	u = strings.Join(strings.Fields(u), " ")
	for _, want := range unameOf(goos, goarch) {
		if strings.EqualFold(u, want) {
			return true
		}
	}
	return false
}

// InstallConfig configures InstallAndAttach.
type InstallConfig struct {
	SSH SSH
	// Exe is the binary to copy; "" means os.Executable().
	Exe string
	// Args are the words after "server attach".
	Args   []string
	Stderr io.Writer
}

// InstallAndAttach copies this gosh to ~/.local/bin/gosh on the host
// (when the host's OS and architecture match this binary's), verifies
// its SHA-256 there, and runs `server attach` with it, all over one ssh
// connection. It returns the CONNECT line's contents and the installed
// path, which later ssh commands (the relay) use as the server.
func InstallAndAttach(ctx context.Context, cfg InstallConfig) (Connect, string, error) {
	if err := checkTarget(cfg.SSH.Target); err != nil {
		return Connect{}, "", err
	}
	exe := cfg.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return Connect{}, "", fmt.Errorf("remote: install: %w", err)
		}
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		return Connect{}, "", fmt.Errorf("remote: install: %w", err)
	}
	sum := sha256.Sum256(bin)
	hash := hex.EncodeToString(sum[:])
	words := append([]string{"sh", "-c", installScript, "sh", hash, "server", "attach"}, cfg.Args...)
	cmd := cfg.SSH.Command([]string{"-T"}, QuoteWords(words...))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return Connect{}, "", err
	}
	host := cfg.SSH.Target
	var (
		mu        sync.Mutex
		uname     string
		mismatch  bool
		gotHash   string
		installed string
	)
	hook := func(line string) bool {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(line, "GOSH UNAME "):
			uname = strings.TrimSpace(strings.TrimPrefix(line, "GOSH UNAME "))
			if !UnameMatches(uname, runtime.GOOS, runtime.GOARCH) {
				mismatch = true
				io.WriteString(stdin, "no\n")
				stdin.Close()
				return true
			}
			go func() {
				// A failed write shows up as the remote's hash mismatch
				// or ssh's exit status.
				if _, err := io.WriteString(stdin, "yes\n"); err == nil {
					stdin.Write(bin)
				}
				stdin.Close()
			}()
			return true
		case strings.HasPrefix(line, "GOSH SHA256 "):
			gotHash = strings.TrimSpace(strings.TrimPrefix(line, "GOSH SHA256 "))
			return true
		case strings.HasPrefix(line, "GOSH INSTALLED "):
			installed = strings.TrimSpace(strings.TrimPrefix(line, "GOSH INSTALLED "))
			return true
		}
		return false
	}
	c, err := runBootstrap(ctx, cmd, host, "gosh", cfg.Stderr, hook)
	mu.Lock()
	defer mu.Unlock()
	switch {
	case mismatch:
		return Connect{}, "", &Error{Kind: ErrNoGosh, Msg: fmt.Sprintf("cannot install: %s is %s but this gosh is built for %s/%s; install a gosh for %s there",
			host, uname, runtime.GOOS, runtime.GOARCH, uname)}
	case gotHash != "":
		return Connect{}, "", &Error{Kind: ErrNoGosh, Msg: fmt.Sprintf("install on %s failed: the copy's SHA-256 is %s, not %s (disk full, or something altered the stream)", host, gotHash, hash)}
	case err != nil && uname == "" && installed == "":
		return Connect{}, "", err // ssh itself failed
	case err != nil && installed == "":
		return Connect{}, "", &Error{Kind: ErrNoGosh, Msg: fmt.Sprintf("install on %s failed: %v", host, err)}
	case err != nil:
		return Connect{}, installed, err
	}
	return c, installed, nil
}
