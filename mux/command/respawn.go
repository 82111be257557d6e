package command

import (
	"context"
	"errors"
)

// RespawnOptions configure respawn-pane and respawn-window.
type RespawnOptions struct {
	// Kill stops a program that still runs first (-k); without it a
	// live pane is an error ("still active"), as tmux's.
	Kill bool
	// Dir is the new start directory (-c); "" keeps the pane's own.
	Dir string
	// Env is added to the program's environment for this start (-e).
	Env map[string]string
	// Command replaces the pane's start command; nil runs it again.
	Command []string
}

// Respawner is implemented by an Env that can start a pane's program
// again in the same pane (tmux's respawn-pane and respawn-window): the
// pane keeps its id, size and history, its visible screen is cleared.
type Respawner interface {
	RespawnPane(r Ref, o RespawnOptions) error
	// RespawnWindow closes every pane of r's window but the first, which
	// takes the whole window and is respawned.
	RespawnWindow(r Ref, o RespawnOptions) error
}

func respawnOptions(a *Args) (RespawnOptions, error) {
	vars, err := envFlags(a)
	if err != nil {
		return RespawnOptions{}, err
	}
	o := RespawnOptions{Kill: a.Has('k'), Dir: a.Value('c'), Env: vars}
	if len(a.Positional) > 0 {
		o.Command = a.Positional
	}
	return o, nil
}

func respawnPane(_ context.Context, e Env, a *Args) error {
	rs, ok := e.(Respawner)
	if !ok {
		return errors.New("respawn-pane: not supported")
	}
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	o, err := respawnOptions(a)
	if err != nil {
		return err
	}
	return rs.RespawnPane(r, o)
}

func respawnWindow(_ context.Context, e Env, a *Args) error {
	rs, ok := e.(Respawner)
	if !ok {
		return errors.New("respawn-window: not supported")
	}
	r, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	o, err := respawnOptions(a)
	if err != nil {
		return err
	}
	return rs.RespawnWindow(r, o)
}
