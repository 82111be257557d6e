package mux

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// This file is the daemon's side of attach: a terminal client asks over the
// control socket (attach-session, or new-session without -d) with its facts
// in Request.Attach; the daemon opens a UDP endpoint with a fresh key, starts
// an SSP server Transport for that client alone (client.go), and answers
// with the port and key in Response.Attach. The key exists only in the
// daemon's memory and in that one reply: never in argv, the environment or
// the log (DESIGN.md §2).

// Attach defaults.
const (
	// DefaultPortLow and DefaultPortHigh are the UDP ports tried for an
	// attach endpoint when the client names none (mosh uses 60001–60999).
	DefaultPortLow, DefaultPortHigh = 60000, 61000
	// ClientConnectTimeout: an endpoint whose client never sends an
	// authentic datagram is closed after this, as mosh-server exits when
	// no client connects within 60 s (mosh-protocol.md §1.6).
	ClientConnectTimeout = 60 * time.Second
	// ClientIdleTimeout: a client silent this long is detached (the
	// session stays). mosh keeps the association forever; a week covers a
	// laptop closed over a long weekend while bounding forgotten
	// endpoints.
	ClientIdleTimeout = 7 * 24 * time.Hour
	// maxClientSize bounds a client's announced terminal size.
	maxClientSize = 4096
)

// AttachRequest is what a terminal client says about itself when it
// attaches.
type AttachRequest struct {
	// Cols and Rows are the client's terminal size; the frame is this big.
	Cols int `json:"cols"`
	Rows int `json:"rows"`
	// Term and Colors describe the client's terminal ($TERM, number of
	// colours), for list-clients.
	Term   string `json:"term,omitempty"`
	Colors int    `json:"colors,omitempty"`
	// ReadOnly attaches a client that watches: its keys reach no pane
	// (tmux attach -r); it may still detach.
	ReadOnly bool `json:"read_only,omitempty"`
	// IP is the address the endpoint binds: "" means 127.0.0.1 (a local
	// client), "0.0.0.0" or "::" any interface.
	IP string `json:"ip,omitempty"`
	// PortLow..PortHigh is the UDP port range to try; zero means
	// DefaultPortLow..DefaultPortHigh, and PortLow alone one port.
	PortLow  uint16 `json:"port_low,omitempty"`
	PortHigh uint16 `json:"port_high,omitempty"`
	// SSHClient and SSHKey are the ssh connection the attach came
	// through, for the authorizer: the client's "host:port" (from
	// $SSH_CONNECTION) and the key's "SHA256:…" fingerprint when sshd
	// exposes it (ExposeAuthInfo, $SSH_USER_AUTH). Empty when local.
	SSHClient string `json:"ssh_client,omitempty"`
	SSHKey    string `json:"ssh_key,omitempty"`
	// Challenge answers the AttachChallenge of a previous request.
	Challenge *ChallengeReply `json:"challenge,omitempty"`
}

// AttachReply is the endpoint of an attached client.
type AttachReply struct {
	// Session is the attached session's name.
	Session string `json:"session"`
	// IP and Port are where the endpoint listens.
	IP   string `json:"ip"`
	Port int    `json:"port"`
	// Key is the endpoint's SSP key, base64 as in MOSH CONNECT.
	Key string `json:"key"`
	// Version is the daemon's gosh release; Protocol its frame extension
	// protocol (statesync.ProtocolVersion).
	Version  string `json:"version"`
	Protocol int    `json:"protocol"`
}

// attachAddr resolves the bind address of an attach request.
func attachAddr(r *AttachRequest) (netip.Addr, uint16, uint16, error) {
	ip := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if r.IP != "" {
		a, err := netip.ParseAddr(r.IP)
		if err != nil {
			return netip.Addr{}, 0, 0, fmt.Errorf("bad bind address %q", r.IP)
		}
		ip = a.Unmap()
	}
	lo, hi := r.PortLow, r.PortHigh
	switch {
	case lo == 0 && hi == 0:
		lo, hi = DefaultPortLow, DefaultPortHigh
	case hi == 0:
		hi = lo
	case lo > hi || lo == 0:
		return netip.Addr{}, 0, 0, fmt.Errorf("bad port range %d:%d", lo, hi)
	}
	return ip, lo, hi, nil
}

// newClient opens an endpoint for a terminal client and starts its loop.
// The caller holds cmdMu but not mu.
func (s *Server) newClient(ss *Session, req *AttachRequest, name string, o command.AttachOptions) (*AttachReply, error) {
	ip, lo, hi, err := attachAddr(req)
	if err != nil {
		return nil, err
	}
	udp, err := conn.ListenUDP(ip, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("no UDP port free in %d:%d on %s: %w", lo, hi, ip, err)
	}
	// The endpoint also serves a client that the daemon runs itself
	// (Config.Host), in memory (linkLocal).
	ep := conn.NewEndpoint(udp)
	key, err := ssp.GenerateKey()
	if err != nil {
		ep.Close()
		return nil, err
	}
	// State 0 is the blank 80x24 frame every peer starts from (as mosh's);
	// the first diff resizes the client's replica to its own size.
	tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: key, Conn: ep,
		Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream(),
	})
	if err != nil {
		ep.Close()
		return nil, err
	}
	tr.Current().SetGoshVersion(statesync.ProtocolVersion)
	cols, rows := clampClientSize(req.Cols, req.Rows)
	c := &client{s: s, tr: tr, term: req.Term, colors: req.Colors, readOnly: req.ReadOnly || o.ReadOnly,
		created: s.cfg.Now(), port: int(udp.LocalAddr().Port()), ep: ep, key: key, cols: cols, rows: rows,
		wake: make(chan struct{}, 1), detachCh: make(chan struct{}), watched: map[*Pane]bool{},
		keys: input.New(input.Config{Keys: s.keys.Load()})}

	s.mu.Lock()
	if s.closed || s.sessions[ss.id] != ss {
		s.mu.Unlock()
		tr.Close()
		return nil, fmt.Errorf("can't find session: %s", ss.name)
	}
	s.nextClientID++
	c.id = s.nextClientID
	c.name = name
	if c.name == "" {
		c.name = "client" + strconv.Itoa(c.id)
	}
	if o.DetachOthers {
		for _, other := range s.clients {
			if other.session == ss {
				other.detach()
			}
		}
	}
	if o.Dir != "" {
		ss.cwd = o.Dir
	}
	c.session = ss
	s.clients[c.id] = c
	s.activateLocked(c)
	c.showConfigErrorsLocked() // bind.go
	s.clientWG.Add(1)
	s.mu.Unlock()

	s.log.Info("client attached", "client", c.name, "session", ss.name, "port", c.port, "size", strconv.Itoa(cols)+"x"+strconv.Itoa(rows))
	// The inbox reads the endpoint from now on, and takes the datagrams
	// of a client the daemon hosts (linkLocal) even before the loop has
	// run: they would otherwise be lost, and resent only after a timeout.
	tr.Inbox()
	go c.loop(s.clientCtx)
	return &AttachReply{Session: ss.name, IP: ip.String(), Port: c.port, Key: key.String(),
		Version: s.cfg.Version, Protocol: statesync.ProtocolVersion}, nil
}

// linkLocal connects a client in the daemon's own process to the endpoint
// at port, which must have the given key (base64, as in AttachReply).
func (s *Server) linkLocal(port int, key string) (*HostedLink, error) {
	want, err := ssp.ParseKey(key)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	var to *client
	for _, c := range s.clients {
		if c.port == port && subtle.ConstantTimeCompare(c.key[:], want[:]) == 1 {
			to = c
			break
		}
	}
	s.mu.Unlock()
	if to == nil {
		return nil, fmt.Errorf("mux: no endpoint at port %d with that key", port)
	}
	lc, err := to.ep.Connect()
	if err != nil {
		return nil, err
	}
	return &HostedLink{LocalConn: lc, c: to}, nil
}

func clampClientSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	return min(max(w, 2), maxClientSize), min(max(h, 2), maxClientSize)
}

// activateLocked makes c its session's most recently active client, whose
// size the session's windows follow (tmux's window-size latest).
func (s *Server) activateLocked(c *client) {
	s.clock++
	c.activity = s.clock
	ss := c.session
	if ss == nil {
		return
	}
	ss.latest = c
	s.resizeSessionLocked(ss, c.cols, c.rows-statusRows)
}

// statusRows is the status line's height; the window gets the rest of the
// client's rows.
const statusRows = 1

// resizeSessionLocked gives every window of ss the size w×h.
func (s *Server) resizeSessionLocked(ss *Session, w, h int) {
	w, h = max(w, 1), max(h, 1)
	if ss.width == w && ss.height == h {
		return
	}
	ss.width, ss.height = w, h
	for _, win := range ss.windows {
		win.tree.Resize(w, h)
		win.applyLayoutLocked()
	}
	s.wakeClientsLocked()
}

// removeClient forgets c once its loop ended; the session's windows follow
// the next most recent client.
func (s *Server) removeClient(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.clients, c.id)
	ss := c.session
	if ss == nil || ss.latest != c {
		return
	}
	ss.latest = nil
	var next *client
	for _, o := range s.clients {
		if o.session == ss && (next == nil || o.activity > next.activity) {
			next = o
		}
	}
	if next != nil && s.sessions[ss.id] == ss {
		ss.latest = next
		s.resizeSessionLocked(ss, next.cols, next.rows-statusRows)
	}
}

// wakeClientsLocked tells every attached client to look at the model again.
func (s *Server) wakeClientsLocked() {
	for _, c := range s.clients {
		c.poke()
	}
}

// attachedLocked counts the clients attached to ss.
func (s *Server) attachedLocked(ss *Session) int {
	n := 0
	for _, c := range s.clients {
		if c.session == ss {
			n++
		}
	}
	return n
}

// Clients returns the number of attached clients.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

var _ command.Clients = (*env)(nil)

// CanAttach implements command.Clients.
func (e *env) CanAttach() bool { return e.c.Attach != nil || e.c.attached != nil }

// Attach implements command.Clients: a terminal client gets a new
// endpoint; an attached client running a binding moves to r's session
// (tmux's switch-client).
func (e *env) Attach(r command.Ref, o command.AttachOptions) error {
	s := e.s
	s.mu.Lock()
	ss := s.sessions[r.Session]
	if ss == nil {
		s.mu.Unlock()
		return fmt.Errorf("can't find session: $%d", r.Session)
	}
	if cl := e.c.attached; cl != nil {
		defer s.mu.Unlock()
		s.switchClientLocked(cl, ss)
		return nil
	}
	s.touchLocked(ss)
	s.mu.Unlock()
	if e.c.Attach == nil {
		return errors.New("open terminal failed: not a terminal")
	}
	if e.reply != nil {
		return errors.New("client is already attached")
	}
	asked := *e.c.Attach
	asked.ReadOnly = asked.ReadOnly || o.ReadOnly
	ro, err := s.authorize(context.Background(), ss, &asked)
	if ce := (*ChallengeError)(nil); errors.As(err, &ce) && o.New {
		// The session waits for the answer (attach-session with the
		// token); a wrong answer or none removes it (hooks.go).
		s.markNewSessionChallenge(ce.Challenge.Token, ss)
		return err
	}
	if err == nil {
		o.ReadOnly = o.ReadOnly || ro
		var reply *AttachReply
		if reply, err = s.newClient(ss, e.c.Attach, e.c.TTY, o); err == nil {
			e.reply = reply
			return nil
		}
	}
	if o.New {
		s.mu.Lock()
		s.dropNewSessionLocked(ss)
		s.mu.Unlock()
	}
	return err
}

// dropNewSessionLocked removes a session new-session made for a client
// whose attach was then refused or failed, unless a client attached to it
// meanwhile. When it was the first session ever, the server is as if it
// had none: an explicitly started server keeps waiting for its first.
func (s *Server) dropNewSessionLocked(ss *Session) {
	if s.sessions[ss.id] != ss || s.attachedLocked(ss) > 0 {
		return
	}
	s.log.Info("new session removed: its attach failed", "name", ss.name)
	if ss.id == 0 && s.nextID.session == 1 {
		s.hadAny = false
	}
	for _, w := range ss.windowsLocked() {
		s.removeWindowLocked(w) // the last one removes the session
	}
}

// Detach implements command.Clients.
func (e *env) Detach(o command.DetachOptions) (int, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var target *client
	switch {
	case o.Session != nil:
		n := 0
		for _, c := range s.clients {
			if c.session != nil && c.session.id == o.Session.Session {
				c.detach()
				n++
			}
		}
		return n, nil
	case o.Client != "":
		for _, c := range s.clients {
			if c.name == o.Client {
				target = c
			}
		}
		if target == nil {
			return 0, fmt.Errorf("can't find client: %s", o.Client)
		}
	case e.c.attached != nil:
		target = e.c.attached
	default:
		// From inside a pane: the most recent client of the pane's session,
		// as tmux picks the best client for a command from a pane.
		var ss *Session
		if id, ok := strings.CutPrefix(e.c.Pane, "%"); ok {
			if n, err := strconv.Atoi(id); err == nil {
				if p := s.panes[n]; p != nil && p.window != nil {
					ss = p.window.session
				}
			}
		}
		for _, c := range s.clients {
			if (ss == nil || c.session == ss) && (target == nil || c.activity > target.activity) {
				target = c
			}
		}
		if target == nil {
			return 0, errors.New("no current client")
		}
	}
	if !o.AllOthers {
		target.detach()
		return 1, nil
	}
	n := 0
	for _, c := range s.clients {
		if c != target {
			c.detach()
			n++
		}
	}
	return n, nil
}

// ListClients implements command.Clients.
func (e *env) ListClients(r *command.Ref) []command.ClientInfo {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var cs []*client
	for _, c := range s.clients {
		if c.session == nil || s.sessions[c.session.id] != c.session {
			continue
		}
		if r == nil || c.session.id == r.Session {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].id < cs[j].id })
	out := make([]command.ClientInfo, 0, len(cs))
	for _, c := range cs {
		out = append(out, command.ClientInfo{Name: c.name, Session: sessionRef(c.session), Width: c.cols, Height: c.rows,
			Term: c.term, ReadOnly: c.readOnly, Created: c.created.Unix()})
	}
	return out
}
