package mux

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ProtocolVersion is the control protocol's version. Bump it on any
// incompatible change to Request or Response; a client and daemon that
// disagree refuse to talk, with a message that says so (tmux does the same
// with PROTOCOL_VERSION).
const ProtocolVersion = 1

// maxMessage bounds one framed message, so that a confused peer can't make
// the daemon allocate without limit. capture-pane of a full scrollback fits.
const maxMessage = 64 << 20

// Request is one command from a client.
type Request struct {
	Version int      `json:"version"`
	Argv    []string `json:"argv"`
	// Cwd is the client's working directory (the default for -c).
	Cwd string `json:"cwd,omitempty"`
	// Env carries the client's GOSH_PANE (its current pane when it runs
	// inside gosh) and any other variable the daemon may need.
	Env map[string]string `json:"env,omitempty"`
	// TTY is the client's terminal, if any: an attached client's name.
	TTY string `json:"tty,omitempty"`
	// Attach, when set, says that the client is a terminal that can
	// attach (attach-session, new-session without -d), with its facts;
	// the daemon answers with an endpoint in Response.Attach.
	Attach *AttachRequest `json:"attach,omitempty"`
	// Host, when set, asks the daemon to run the terminal client for
	// the caller (a local gosh that attached): the connection then
	// carries the caller's terminal (one byte with SCM_RIGHTS, unix(7))
	// and stays open for the client's life (Config.Host). Argv is then
	// a command no daemon knows, so that one without Host refuses.
	Host *HostRequest `json:"host,omitempty"`
}

// HostRequest is what the daemon needs to run a local client in its own
// process: the attach endpoint it opened (Response.Attach) and the facts
// of the user's terminal that the client would take from its process.
type HostRequest struct {
	IP      string `json:"ip"`
	Port    int    `json:"port"`
	Key     string `json:"key"`
	Session string `json:"session"`
	// Term is the terminal's terminfo name ($TERM).
	Term string `json:"term"`
	// Env holds the caller's values of the variables the terminal
	// library reads from the process (colour, charset); the daemon
	// hosts only when its own are the same.
	Env map[string]string `json:"env,omitempty"`
}

// Response is the daemon's answer.
type Response struct {
	Version int    `json:"version"`
	Code    int    `json:"code"`
	Stdout  string `json:"stdout,omitempty"`
	Stderr  string `json:"stderr,omitempty"`
	// Attach is the endpoint the client connects to over SSP, when the
	// command attached it. The key travels only here.
	Attach *AttachReply `json:"attach,omitempty"`
	// Challenge, when set, is a question the client must answer before
	// it may attach: it asks its user Challenge.Prompt and sends the
	// request again with AttachRequest.Challenge (Code is 1 meanwhile, so
	// that a client that can't answer fails with Stderr).
	Challenge *AttachChallenge `json:"challenge,omitempty"`
}

// WriteMessage writes v as a 4-byte big-endian length and JSON.
func WriteMessage(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("mux: encode message: %w", err)
	}
	if len(b) > maxMessage {
		return errors.New("mux: message too large")
	}
	buf := make([]byte, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	copy(buf[4:], b)
	_, err = w.Write(buf)
	return err
}

// ReadMessage reads one message written by WriteMessage into v.
func ReadMessage(r io.Reader, v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxMessage {
		return fmt.Errorf("mux: message of %d bytes is too large", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("mux: short message: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("mux: bad message: %w", err)
	}
	return nil
}
