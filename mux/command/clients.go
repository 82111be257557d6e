package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
)

// AttachOptions configure attach-session (and new-session without -d).
type AttachOptions struct {
	// DetachOthers detaches every other client of the session (-d).
	DetachOthers bool
	// ReadOnly attaches a client whose keys reach no pane (-r).
	ReadOnly bool
	// Dir becomes the session's working directory (-c).
	Dir string
	// New says that new-session has just made the session for this
	// attach: when the attach is refused or fails, the session goes
	// again, so that a denied client leaves nothing behind.
	New bool
}

// DetachOptions select the clients detach-client detaches.
type DetachOptions struct {
	// Client names one client (-t); "" with no Session means the client
	// that runs the command, if it is an attached client.
	Client string
	// Session, when set, detaches every client of that session (-s).
	Session *Ref
	// AllOthers detaches every client but the named (or current) one (-a).
	AllOthers bool
}

// ClientInfo describes one attached client for list-clients.
type ClientInfo struct {
	Name          string
	Session       Ref
	Width, Height int
	Term          string
	ReadOnly      bool
	// Created is the Unix time of the attach.
	Created int64
}

// Clients is implemented by an Env whose multiplexer has attached clients
// (tmux's client commands). It is a separate interface so that Env stays
// small for those that only drive panes.
type Clients interface {
	// CanAttach reports whether the command's client can be attached:
	// a terminal client that sent its facts over the control socket, or
	// an attached client running a key binding. new-session attaches only
	// then, as tmux's does only from a terminal.
	CanAttach() bool
	// Attach attaches the command's client to r's session (for an
	// attached client: switches it there).
	Attach(r Ref, o AttachOptions) error
	// Detach detaches the selected clients and returns how many.
	Detach(o DetachOptions) (int, error)
	// ListClients lists the attached clients, of one session when r is
	// not nil.
	ListClients(r *Ref) []ClientInfo
}

// ListClientsFormat is tmux's list-clients default (cmd-list-clients.c),
// less what gosh does not track.
const ListClientsFormat = "#{client_name}: #{session_name} [#{client_width}x#{client_height} #{client_termname}]#{?client_readonly, (ro),}"

// errNoClients is what a multiplexer without attach support answers.
var errNoClients = errors.New("no clients: this server cannot attach")

func clients(e Env) (Clients, error) {
	c, ok := e.(Clients)
	if !ok {
		return nil, errNoClients
	}
	return c, nil
}

func attachSession(_ context.Context, e Env, a *Args) error {
	c, err := clients(e)
	if err != nil {
		return err
	}
	if len(e.Sessions()) == 0 {
		return errors.New("no sessions") // tmux's words
	}
	r, err := e.Find(a.Value('t'), KindSession)
	if err != nil {
		return err
	}
	if !c.CanAttach() {
		return errors.New("open terminal failed: not a terminal")
	}
	return c.Attach(r, AttachOptions{DetachOthers: a.Has('d'), ReadOnly: a.Has('r'), Dir: a.Value('c')})
}

func detachClient(_ context.Context, e Env, a *Args) error {
	c, err := clients(e)
	if err != nil {
		return err
	}
	o := DetachOptions{Client: a.Value('t'), AllOthers: a.Has('a')}
	if a.Has('s') {
		r, err := e.Find(a.Value('s'), KindSession)
		if err != nil {
			return err
		}
		o.Session = &r
	}
	_, err = c.Detach(o)
	return err
}

func listClients(_ context.Context, e Env, a *Args) error {
	c, err := clients(e)
	if err != nil {
		return err
	}
	var only *Ref
	if a.Has('t') {
		r, err := e.Find(a.Value('t'), KindSession)
		if err != nil {
			return err
		}
		only = &r
	}
	for _, ci := range c.ListClients(only) {
		v := maps.Clone(e.Vars(ci.Session))
		if v == nil {
			v = Vars{}
		}
		v["client_name"] = ci.Name
		v["client_tty"] = ci.Name
		v["client_width"] = strconv.Itoa(ci.Width)
		v["client_height"] = strconv.Itoa(ci.Height)
		v["client_termname"] = ci.Term
		v["client_readonly"] = boolFlag(ci.ReadOnly)
		v["client_created"] = strconv.FormatInt(ci.Created, 10)
		if f := a.Value('f'); a.Has('f') {
			if x := Expand(f, v); x == "" || x == "0" {
				continue
			}
		}
		io.WriteString(e.Stdout(), Expand(formatOr(a, ListClientsFormat), v)+"\n")
	}
	return nil
}

// attachAfterNew attaches the client to a session new-session just made,
// unless -d was given or the client can't attach (no terminal), as tmux's
// new-session does.
func attachAfterNew(e Env, a *Args, r Ref) error {
	if a.Has('d') {
		return nil
	}
	c, ok := e.(Clients)
	if !ok || !c.CanAttach() {
		return nil
	}
	return c.Attach(r, AttachOptions{New: true})
}

func boolFlag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Buffers is implemented by an Env whose multiplexer keeps paste buffers
// (filled by copy mode).
type Buffers interface {
	// Buffers returns the paste buffers, newest first; tmux names them
	// buffer0, buffer1, … in creation order.
	Buffers() []Buffer
	// DeleteBuffer removes the named buffer.
	DeleteBuffer(name string)
}

// Buffer is one paste buffer.
type Buffer struct {
	Name, Data string
}

func buffers(e Env) (Buffers, error) {
	b, ok := e.(Buffers)
	if !ok {
		return nil, errors.New("no buffers")
	}
	return b, nil
}

// pasteBuffer writes a buffer to a pane as tmux's paste-buffer does: line
// feeds become carriage returns unless -r (or the -s separator), and -p
// brackets the text when the pane asked for bracketed paste.
func pasteBuffer(_ context.Context, e Env, a *Args) error {
	bs, err := buffers(e)
	if err != nil {
		return err
	}
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	all := bs.Buffers()
	if len(all) == 0 {
		return nil // tmux pastes nothing when there are no buffers
	}
	buf := all[0]
	if a.Has('b') {
		found := false
		for _, b := range all {
			if b.Name == a.Value('b') {
				buf, found = b, true
			}
		}
		if !found {
			return fmt.Errorf("no buffer %s", a.Value('b'))
		}
	}
	sep := "\r"
	if a.Has('s') {
		sep = a.Value('s')
	} else if a.Has('r') {
		sep = "\n"
	}
	text := strings.ReplaceAll(buf.Data, "\n", sep)
	if a.Has('p') && e.KeyModes(r).BracketedPaste {
		text = "\x1b[200~" + text + "\x1b[201~"
	}
	if err := e.Send(r, []byte(text)); err != nil {
		return err
	}
	if a.Has('d') {
		bs.DeleteBuffer(buf.Name)
	}
	return nil
}

// ListBuffersFormat is tmux's list-buffers default.
const ListBuffersFormat = "#{buffer_name}: #{buffer_size} bytes: \"#{buffer_sample}\""

func listBuffers(_ context.Context, e Env, a *Args) error {
	bs, err := buffers(e)
	if err != nil {
		return err
	}
	for _, b := range bs.Buffers() {
		sample := b.Data
		if len(sample) > 50 {
			sample = sample[:50]
		}
		sample = strings.NewReplacer("\n", "\\n", "\r", "\\r", "\t", "\\t", "\"", "\\\"").Replace(sample)
		v := Vars{"buffer_name": b.Name, "buffer_size": strconv.Itoa(len(b.Data)), "buffer_sample": sample}
		if a.Has('f') {
			if x := Expand(a.Value('f'), v); x == "" || x == "0" {
				continue
			}
		}
		io.WriteString(e.Stdout(), Expand(formatOr(a, ListBuffersFormat), v)+"\n")
	}
	return nil
}
