package mux

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goshterm/gosh/mux/command"
)

// Options, as tmux's options-table.c for the ones gosh knows. Every option
// has a global value (Server.options, from DefaultOptions); a session or a
// window may override it. Which of the two an option lives on is its
// scope, as in tmux: set-option -w is not needed for a window option, and
// show-options -w lists the window ones.

// optionKind says how set-option checks a value.
type optionKind uint8

const (
	optString optionKind = iota // anything
	optFlag                     // on or off (tmux also takes yes/no, 1/0)
	optChoice                   // one of choices
	optNumber                   // a number from 0
	optColour                   // a colour (parseColour)
	optKey                      // a key name, or None (checkKeyOption)
)

// optionScope is where a non-global value lives.
type optionScope uint8

const (
	scopeSession optionScope = iota
	scopeWindow
	scopeServer // global only: set-option ignores -t
)

type optionDef struct {
	kind    optionKind
	scope   optionScope
	choices []string
	global  bool // set globally even with -t (listed in its scope)
}

// knownOptions are the options set-option accepts.
var knownOptions = map[string]optionDef{
	"remain-on-exit":   {kind: optFlag, scope: scopeWindow},
	"automatic-rename": {kind: optFlag, scope: scopeWindow},
	"mouse":            {kind: optFlag},
	"mode-keys":        {kind: optChoice, scope: scopeWindow, choices: []string{"vi", "emacs"}},
	"history-limit":    {kind: optNumber},
	"base-index":       {kind: optNumber},
	"pane-base-index":  {kind: optNumber},
	"default-terminal": {kind: optString, scope: scopeServer},
	"default-shell":    {kind: optString},

	"display-panes-time":          {kind: optNumber},
	"display-panes-colour":        {kind: optColour},
	"display-panes-active-colour": {kind: optColour},
	"clock-mode-colour":           {kind: optColour},
	"clock-mode-style":            {kind: optChoice, choices: []string{"12", "24"}},

	// Alerts (activity.go).
	"monitor-activity": {kind: optFlag, scope: scopeWindow},
	"monitor-bell":     {kind: optFlag, scope: scopeWindow},
	// Choices in tmux's order: with no value, set-option swaps the
	// first two.
	"bell-action":     {kind: optChoice, choices: alertActions},
	"activity-action": {kind: optChoice, choices: alertActions},
	"visual-bell":     {kind: optChoice, choices: visualAlerts},
	"visual-activity": {kind: optChoice, choices: visualAlerts},
	"monitor-silence": {kind: optNumber, scope: scopeWindow},
	"silence-action":  {kind: optChoice, choices: alertActions},
	"visual-silence":  {kind: optChoice, choices: visualAlerts},
	// Messages (messages.go).
	"display-time":  {kind: optNumber},
	"message-limit": {kind: optNumber, scope: scopeServer},
	// The prefix keys (bind.go): session options in tmux, but one pair
	// for the whole server here, since each client's keys are matched
	// without Server.mu: set-option stores them globally whatever -t
	// says.
	"prefix":  {kind: optKey, global: true},
	"prefix2": {kind: optKey, global: true},
	// Server options tmux configurations set (set -sg escape-time 0)
	// that gosh stores and shows but does not act on
	// (docs/configuration.md), so that such a file loads without errors:
	// an ESC waits input.DefaultEscapeTime whatever escape-time says.
	"escape-time":        {kind: optNumber, scope: scopeServer},
	"focus-events":       {kind: optFlag, scope: scopeServer},
	"terminal-overrides": {kind: optString, scope: scopeServer},
}

// The choices of the alert options, in tmux's order.
var (
	alertActions = []string{"none", "any", "current", "other"}
	visualAlerts = []string{"off", "on", "both"}
)

// checkOption validates value for name and returns it as stored: flags
// become "on" or "off". The errors are tmux's.
func checkOption(name, value string) (string, error) {
	def, ok := knownOptions[name]
	if !ok {
		return "", fmt.Errorf("invalid option: %s", name)
	}
	switch def.kind {
	case optFlag:
		switch strings.ToLower(value) {
		case "on", "yes", "1":
			return "on", nil
		case "off", "no", "0":
			return "off", nil
		}
		return "", fmt.Errorf("bad value: %s", value)
	case optChoice:
		if !slices.Contains(def.choices, value) {
			return "", fmt.Errorf("unknown value: %s", value)
		}
	case optNumber:
		n, err := strconv.Atoi(value)
		switch {
		case err != nil:
			return "", fmt.Errorf("value is invalid: %s", value)
		case n < 0:
			return "", fmt.Errorf("value is too small: %s", value)
		case n > math.MaxInt32:
			// tmux's table maxima are INT_MAX; larger would wrap the
			// durations built from them (display-time, monitor-silence).
			return "", fmt.Errorf("value is too large: %s", value)
		}
	case optColour:
		if _, ok := parseColour(value); !ok {
			return "", fmt.Errorf("bad colour: %s", value)
		}
	case optKey:
		return checkKeyOption(value)
	}
	return value, nil
}

func (e *env) SetOption(r command.Ref, global bool, name, value string) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	def, ok := knownOptions[name]
	if !ok {
		return fmt.Errorf("invalid option: %s", name)
	}
	if value != "" {
		var err error
		if value, err = checkOption(name, value); err != nil {
			return err
		}
	}
	opts, global := s.options, global || def.scope == scopeServer || def.global
	if !global {
		ss, w, _, err := s.lookupLocked(r)
		if err != nil {
			return err
		}
		opts = ss.options
		if def.scope == scopeWindow {
			opts = w.options
		}
	}
	if name == "monitor-activity" || name == "monitor-bell" {
		// What the panes did before counts under the old value only.
		s.scanAllAlertsLocked()
	}
	defer func() {
		// Once the value is in: activity.go's cache of the monitor
		// options, and the silence clocks.
		s.optionsGen++
		if name == "monitor-silence" {
			s.silenceOptionLocked()
		}
	}()
	if value == "" {
		if global {
			value = DefaultOptions[name]
		} else {
			delete(opts, name)
			return nil
		}
	}
	if name == "default-shell" {
		s.cfg.Shell = value
	}
	if def.kind == optKey {
		s.setPrefixLocked(name, value)
	}
	opts[name] = value
	return nil
}

// ToggleOption turns a flag option over where set-option would set it,
// from the value in effect there (set-option with no value, as tmux's),
// and swaps a choice option's first two choices (tmux's
// options_from_string_choice); any other option wants a value.
func (e *env) ToggleOption(r command.Ref, global bool, name string) error {
	s := e.s
	def, ok := knownOptions[name]
	if !ok {
		return fmt.Errorf("invalid option: %s", name)
	}
	if def.kind != optFlag && def.kind != optChoice {
		return fmt.Errorf("empty value")
	}
	s.mu.Lock()
	var cur string
	if global || def.scope == scopeServer {
		cur = s.options[name]
	} else {
		ss, w, _, err := s.lookupLocked(r)
		if err != nil {
			s.mu.Unlock()
			return err
		}
		if def.scope == scopeWindow {
			cur = s.optionLocked(w, name)
		} else if cur = ss.options[name]; cur == "" {
			cur = s.options[name]
		}
	}
	s.mu.Unlock()
	v := "on"
	switch {
	case def.kind == optChoice:
		v = cur
		if i := slices.Index(def.choices, cur); i == 0 || i == 1 {
			v = def.choices[1-i]
		}
	case isOn(cur):
		v = "off"
	}
	return e.SetOption(r, global, name, v)
}

// ShowOptions lists the options of one scope for show-options: the global
// values, or those set on r's session or window; with inherited, also
// those r's session or window takes from above (marked, as tmux's -A).
func (e *env) ShowOptions(r command.Ref, o command.ShowOptions) ([]command.Option, error) {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := scopeSession
	switch {
	case o.Server:
		scope = scopeServer
	case o.Window:
		scope = scopeWindow
	}
	if o.Name != "" {
		def, ok := knownOptions[o.Name]
		if !ok {
			if o.Quiet {
				return nil, nil
			}
			return nil, fmt.Errorf("invalid option: %s", o.Name)
		}
		// As tmux, a name finds its own scope whatever the flags say.
		scope = def.scope
	}
	var ss *Session
	var w *Window
	if !o.Global && scope != scopeServer {
		var err error
		if ss, w, _, err = s.lookupLocked(r); err != nil {
			return nil, err
		}
	}
	var out []command.Option
	for name, def := range knownOptions {
		if def.scope != scope || (o.Name != "" && name != o.Name) {
			continue
		}
		var v string
		var set, inherited bool
		switch {
		case o.Global || scope == scopeServer:
			v, set = s.options[name]
		case scope == scopeWindow:
			if v, set = w.options[name]; !set {
				v, inherited = s.optionLocked(w, name), true
			}
		default:
			if v, set = ss.options[name]; !set {
				v, inherited = s.options[name], true
			}
		}
		if set || (inherited && o.Inherited) {
			out = append(out, command.Option{Name: name, Value: v, Inherited: !set})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
