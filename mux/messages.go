package mux

import (
	"time"

	"github.com/goshterm/gosh/mux/command"
)

// Messages on the status line and their log, as tmux's status_message_set
// and server_add_message: a message shows on a client's status line for
// display-time milliseconds, and goes in the server's log, which
// show-messages prints and message-limit bounds.

// maxMessageLimit caps message-limit: the log lives as long as the daemon,
// whose idle memory must stay below tmux's (issue 4), so it keeps at most
// this many messages whatever the option says. tmux's default is 1000;
// gosh's is 100.
const maxMessageLimit = 1000

// messageLog is the server's message log, oldest first. Server.mu.
type messageLog struct {
	entries []logMessage
}

type logMessage struct {
	at   time.Time
	text string
}

// addMessageLocked appends text to the log, dropping the oldest beyond
// message-limit.
func (s *Server) addMessageLocked(text string) {
	limit := min(max(s.optionIntLocked(nil, "message-limit"), 0), maxMessageLimit)
	l := &s.messages
	l.entries = append(l.entries, logMessage{at: s.cfg.Now(), text: text})
	if n := len(l.entries) - limit; n > 0 {
		// Copy down rather than reslice, so that the array does not
		// keep growing from its front.
		l.entries = l.entries[:copy(l.entries, l.entries[n:])]
	}
}

// setMessageLocked shows msg on c's status line for ms milliseconds and
// logs it. It runs on c's loop, with Server.mu held.
func (c *client) setMessageLocked(msg string, ms int) {
	c.showMessageLocked(msg, ms)
	c.logMessageLocked(msg)
}

// showMessageLocked shows msg on c's status line for ms milliseconds, or
// until the next key when ms is 0 (tmux's display-time 0). It runs on c's
// loop, with Server.mu held.
func (c *client) showMessageLocked(msg string, ms int) {
	d := time.Duration(max(ms, 0)) * time.Millisecond
	c.alerts.messageToKey = ms == 0
	if ms == 0 {
		d = untilKey
	}
	c.message, c.messageUntil = msg, time.Now().Add(d)
}

// untilKey stands for "until a key is pressed" as a message's time.
const untilKey = 24 * time.Hour

// keyPressed takes a message shown until a key (display-time 0) off the
// status line; it reports whether the frame changed. It runs on c's loop.
func (c *client) keyPressed() bool {
	if !c.alerts.messageToKey {
		return false
	}
	c.alerts.messageToKey = false
	c.messageUntil = time.Time{}
	return true
}

// logMessageLocked adds a message shown to c to the log, as tmux's
// status_message_set does ("client message: text").
func (c *client) logMessageLocked(msg string) {
	c.s.addMessageLocked(c.name + " message: " + msg)
}

// DisplayMessage shows msg on a client's status line (display-message
// without -p): the client named, else the attached client running the
// command (a key binding), else the most recently active client attached
// to r's session, as tmux's cmd_find_client picks the best one. delay is
// in milliseconds; negative means display-time.
func (e *env) DisplayMessage(r command.Ref, name, msg string, delay int) (bool, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := e.clientLocked(name) // switch.go: the named one, else the command's own
	if name != "" && err != nil {
		return false, err
	}
	if c == nil {
		for _, o := range s.clients {
			if o.session != nil && o.session.id == r.Session && (c == nil || o.activity > c.activity) {
				c = o
			}
		}
	}
	if c == nil || c.session == nil {
		return false, nil
	}
	if delay < 0 {
		delay = s.optionIntLocked(c.session.current, "display-time")
	}
	// The client's loop owns its status line: it takes the message at
	// its next frame (alertsLocked), which the command's end wakes.
	c.alerts.message, c.alerts.messageMS, c.alerts.pending = msg, delay, true
	c.logMessageLocked(msg)
	c.poke()
	return true, nil
}

// MessageLog returns the message log for show-messages.
func (e *env) MessageLog() []command.Message {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]command.Message, len(s.messages.entries))
	for i, m := range s.messages.entries {
		out[i] = command.Message{Time: m.at, Text: m.text}
	}
	return out
}
