package remote

import (
	"fmt"
	"strconv"
	"strings"
)

// Compatibility rule: a client and a server work together when their gosh
// releases share major.minor (so patch releases mix freely, and a minor
// release may change the bootstrap or the frame extensions). Facts added
// within a minor series travel in new protobuf fields that an older peer
// ignores (DESIGN.md §4).

// parseVersion reads "MAJOR.MINOR[.PATCH][-pre][+build]", with an optional
// leading "v".
func parseVersion(v string) (major, minor int, ok bool) {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, false
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || (p[0] == '+' || p[0] == '-') {
			return 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], true
}

// VersionError says that client and server releases do not work together,
// and which side to upgrade.
type VersionError struct {
	Host           string
	Client, Server string
	UpgradeServer  bool // the server is older (or unreadable): upgrade the host
}

func (e *VersionError) Error() string {
	if e.UpgradeServer {
		return fmt.Sprintf("%s runs gosh %s, too old for this gosh %s: upgrade gosh on %s (gosh attach --install %s copies this one there)",
			e.Host, e.Server, e.Client, e.Host, e.Host)
	}
	return fmt.Sprintf("%s runs gosh %s, too new for this gosh %s: upgrade gosh on this machine", e.Host, e.Server, e.Client)
}

// Compatible checks the releases of client and server by the rule above;
// host names the server in the message.
func Compatible(host, client, server string) error {
	cm, cn, ok := parseVersion(client)
	if !ok {
		return fmt.Errorf("remote: bad client version %q", client)
	}
	sm, sn, ok := parseVersion(server)
	switch {
	case !ok:
		return &VersionError{Host: host, Client: client, Server: strconv.Quote(server), UpgradeServer: true}
	case sm == cm && sn == cn:
		return nil
	case sm < cm || (sm == cm && sn < cn):
		return &VersionError{Host: host, Client: client, Server: server, UpgradeServer: true}
	default:
		return &VersionError{Host: host, Client: client, Server: server}
	}
}
