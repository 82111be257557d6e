package cli

import (
	"slices"
	"testing"
)

func TestParseLsArgs(t *testing.T) {
	host, sshCmd, server, family, rest, help := parseLsArgs([]string{"-F", "#{session_name}", "--ssh", "ssh -p 2", "me@box", "-6", "--server=/opt/gosh"})
	if host != "me@box" || sshCmd != "ssh -p 2" || server != "/opt/gosh" || family != 6 || help ||
		!slices.Equal(rest, []string{"-F", "#{session_name}"}) {
		t.Errorf("got host %q ssh %q server %q family %d rest %q", host, sshCmd, server, family, rest)
	}
	// Without a host, everything goes to the local list-sessions.
	host, _, server, _, rest, _ = parseLsArgs([]string{"-F", "x"})
	if host != "" || server != "gosh" || !slices.Equal(rest, []string{"-F", "x"}) {
		t.Errorf("local: host %q server %q rest %q", host, server, rest)
	}
}
