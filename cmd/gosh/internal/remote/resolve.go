package remote

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
)

// HostName returns the host name ssh will connect to for s.Target after
// ~/.ssh/config and the user's ssh options are applied (`ssh -G`, OpenSSH
// 6.8 and later). If ssh cannot tell, it is the host part of the target.
func HostName(ctx context.Context, s SSH) string {
	host := s.Target
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	a := s.argv([]string{"-G"}, "")
	out, err := exec.CommandContext(ctx, a[0], a[1:]...).Output()
	if err != nil {
		return host
	}
	if h := parseSSHG(out); h != "" {
		return h
	}
	return host
}

// parseSSHG finds the "hostname" line in ssh -G output.
func parseSSHG(out []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok && strings.EqualFold(k, "hostname") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Resolve looks up the address the client sends UDP to: HostName, then a
// local lookup restricted to family (4, 6, or 0 for either; the first
// address the resolver returns wins, as with getaddrinfo in mosh).
func Resolve(ctx context.Context, s SSH) (netip.Addr, error) {
	name := HostName(ctx, s)
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	if a, err := netip.ParseAddr(name); err == nil {
		a = a.Unmap()
		if (s.Family == 4 && !a.Is4()) || (s.Family == 6 && a.Is4()) {
			return netip.Addr{}, fmt.Errorf("%s is not an IPv%d address", name, s.Family)
		}
		return a, nil
	}
	network := "ip"
	if s.Family == 4 {
		network = "ip4"
	} else if s.Family == 6 {
		network = "ip6"
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, network, name)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return netip.Addr{}, fmt.Errorf("%s does not resolve here", name)
		}
		return netip.Addr{}, fmt.Errorf("cannot resolve %s: %w", name, err)
	}
	if len(addrs) == 0 {
		return netip.Addr{}, fmt.Errorf("%s has no address", name)
	}
	return addrs[0].Unmap(), nil
}
