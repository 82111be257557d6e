package server

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// Default UDP port range of mosh-server (mosh-server.cc; the man page's
// 60000–61000 is not what the code does).
const (
	DefaultPortLow  = 60001
	DefaultPortHigh = 60999
)

// MoshOptions are the arguments of `mosh-server new`, as the stock mosh
// wrapper passes them (mosh-protocol.md §1.1, §1.3).
type MoshOptions struct {
	PortLow, PortHigh uint16     // -p PORT or -p LOW:HIGH; 0:0 = any
	BindIP            netip.Addr // -i IP; invalid = any
	BindSSH           bool       // -s: bind to the local address of $SSH_CONNECTION
	Colors            int        // -c N
	Locale            []string   // -l NAME=VALUE, repeated
	Verbose           int        // -v, repeated
	Command           []string   // after --; empty = login shell
}

// ParseMoshArgs parses args after "mosh-server" (starting with "new").
// Like mosh-server, unknown options are reported on warn but not fatal;
// "-@ ARG" is swallowed. Bad values of known options are errors.
func ParseMoshArgs(args []string, warn io.Writer) (MoshOptions, error) {
	o := MoshOptions{PortLow: DefaultPortLow, PortHigh: DefaultPortHigh}
	if len(args) == 0 || args[0] != "new" {
		return o, errors.New(`mosh-server: the first argument must be "new" (legacy syntax is not supported)`)
	}
	args = args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			o.Command = append([]string(nil), args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			fmt.Fprintf(warn, "mosh-server: ignoring unexpected argument %q\n", a)
			continue
		}
		// getopt style: "-pVALUE", "-p VALUE", and bundled flags "-sv".
		for j := 1; j < len(a); j++ {
			opt := a[j]
			takesValue := strings.IndexByte("picl@", opt) >= 0
			var val string
			if takesValue {
				if j+1 < len(a) {
					val = a[j+1:]
				} else if i+1 < len(args) {
					i++
					val = args[i]
				} else {
					return o, fmt.Errorf("mosh-server: option -%c needs a value", opt)
				}
			}
			switch opt {
			case 's':
				o.BindSSH = true
			case 'v':
				o.Verbose++
			case 'p':
				lo, hi, err := parsePorts(val)
				if err != nil {
					return o, err
				}
				o.PortLow, o.PortHigh = lo, hi
			case 'i':
				ip, err := netip.ParseAddr(val)
				if err != nil {
					return o, fmt.Errorf("mosh-server: -i needs a numeric IP address: %q", val)
				}
				o.BindIP = ip
			case 'c':
				n, err := strconv.Atoi(val)
				if err != nil {
					return o, fmt.Errorf("mosh-server: bad colour count %q", val)
				}
				o.Colors = n
			case 'l':
				if !strings.Contains(val, "=") {
					return o, fmt.Errorf("mosh-server: -l needs NAME=VALUE: %q", val)
				}
				o.Locale = append(o.Locale, val)
			case '@':
				// undocumented no-op with one argument
			default:
				fmt.Fprintf(warn, "mosh-server: ignoring unknown option -%c\n", opt)
			}
			if takesValue {
				break
			}
		}
	}
	return o, nil
}

// parsePorts parses "PORT" or "LOW:HIGH" (LOW ≥ 1, LOW ≤ HIGH); "0" lets
// the kernel choose.
func parsePorts(s string) (low, high uint16, err error) {
	lo, hi, isRange := strings.Cut(s, ":")
	l, err := strconv.ParseUint(lo, 10, 16)
	if err != nil {
		return 0, 0, fmt.Errorf("mosh-server: bad port %q", s)
	}
	if !isRange {
		return uint16(l), uint16(l), nil
	}
	h, err := strconv.ParseUint(hi, 10, 16)
	if err != nil || l == 0 || l > h {
		return 0, 0, fmt.Errorf("mosh-server: bad port range %q", s)
	}
	return uint16(l), uint16(h), nil
}

// Term is the TERM the shell gets for a colour count, as mosh-server
// chooses it.
func (o MoshOptions) Term() string {
	if o.Colors == 256 {
		return "xterm-256color"
	}
	return "xterm"
}

// bindAddr is the address to bind: -i, else -s from $SSH_CONNECTION's
// third word (with any ::ffff: prefix stripped), else any.
func (o MoshOptions) bindAddr(sshConnection string, warn io.Writer) netip.Addr {
	if o.BindIP.IsValid() {
		return o.BindIP
	}
	if o.BindSSH {
		f := strings.Fields(sshConnection)
		if len(f) >= 3 {
			if ip, err := netip.ParseAddr(strings.TrimPrefix(f[2], "::ffff:")); err == nil {
				return ip.Unmap()
			}
		}
		fmt.Fprintln(warn, "mosh-server: warning: SSH_CONNECTION not found; binding to any interface.")
	}
	return netip.Addr{}
}
