package server

import (
	"bytes"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// The exact command line the mosh 1.4 wrapper sends over ssh (§1.1).
func TestParseMoshArgsWrapperLine(t *testing.T) {
	var warn bytes.Buffer
	o, err := ParseMoshArgs([]string{"new", "-c", "256", "-s", "-p", "60010:60020",
		"-l", "LANG=C.UTF-8", "-l", "LC_ALL=C.UTF-8", "-@", "ignored", "--", "/bin/sh", "-c", "echo hi"}, &warn)
	if err != nil {
		t.Fatal(err)
	}
	want := MoshOptions{PortLow: 60010, PortHigh: 60020, BindSSH: true, Colors: 256,
		Locale: []string{"LANG=C.UTF-8", "LC_ALL=C.UTF-8"}, Command: []string{"/bin/sh", "-c", "echo hi"}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("got %+v\nwant %+v", o, want)
	}
	if warn.Len() != 0 {
		t.Errorf("warnings for valid flags: %s", warn.String())
	}
	if o.Term() != "xterm-256color" {
		t.Errorf("TERM for -c 256 = %s", o.Term())
	}
}

func TestParseMoshArgsDefaultsAndOddities(t *testing.T) {
	var warn bytes.Buffer
	o, err := ParseMoshArgs([]string{"new", "-i127.0.0.1", "-vv", "-x", "-p", "0"}, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if o.BindIP != netip.MustParseAddr("127.0.0.1") || o.Verbose != 2 || o.PortLow != 0 || o.PortHigh != 0 {
		t.Errorf("got %+v", o)
	}
	if !strings.Contains(warn.String(), "-x") {
		t.Errorf("unknown option not reported: %q", warn.String())
	}
	if o.Term() != "xterm" {
		t.Errorf("TERM without -c 256 = %s", o.Term())
	}
	d, _ := ParseMoshArgs([]string{"new"}, &warn)
	if d.PortLow != 60001 || d.PortHigh != 60999 || len(d.Command) != 0 {
		t.Errorf("defaults = %+v", d)
	}
}

func TestParseMoshArgsErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"old"},
		{"new", "-p"},
		{"new", "-p", "0:10"},
		{"new", "-p", "20:10"},
		{"new", "-p", "x"},
		{"new", "-i", "localhost"},
		{"new", "-l", "NOEQUALS"},
	} {
		if _, err := ParseMoshArgs(args, new(bytes.Buffer)); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestBindAddrFromSSHConnection(t *testing.T) {
	o := MoshOptions{BindSSH: true}
	if got := o.bindAddr("10.0.0.9 51234 ::ffff:192.0.2.7 22", new(bytes.Buffer)); got != netip.MustParseAddr("192.0.2.7") {
		t.Errorf("bind %v", got)
	}
	var warn bytes.Buffer
	if got := o.bindAddr("", &warn); got.IsValid() || warn.Len() == 0 {
		t.Errorf("missing SSH_CONNECTION: bind %v, warning %q", got, warn.String())
	}
}
