package plugins

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/goshterm/gosh/sdk"
)

// StatusView is the status line of one attached client: the facts it is
// drawn from and the latest segments of every status plugin. The daemon
// creates one per client, calls Update as facts change and Segments when it
// composes a frame. Segments never waits for a plugin: each status plugin
// is called from its own loop in the host, on its refresh interval and on
// events, and the view keeps the last good answer.
type StatusView struct {
	h *Host

	mu      sync.Mutex // guards the fields below
	req     sdk.StatusRequest
	segs    map[*proc][]sdk.Segment
	pending map[*proc]bool
	closed  bool
	changed func()
}

// OnChange sets fn to be called whenever Segments' answer may have changed:
// a plugin returned different segments, or went down or came back. fn is
// called from the host's goroutines with no lock held and must not block;
// waking the client's compose loop (a non-blocking channel send) is its job.
func (v *StatusView) OnChange(fn func()) {
	v.mu.Lock()
	v.changed = fn
	v.mu.Unlock()
}

func (v *StatusView) notify() {
	v.mu.Lock()
	fn := v.changed
	v.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// NewStatusView registers a client's status line and asks every status
// plugin for its segments (as an EventAttach).
func (h *Host) NewStatusView(req sdk.StatusRequest) *StatusView {
	v := &StatusView{h: h, req: req, segs: make(map[*proc][]sdk.Segment), pending: make(map[*proc]bool)}
	v.req.Event = sdk.Event{Kind: sdk.EventAttach, Time: time.Now()}
	h.mu.Lock()
	h.views[v] = struct{}{}
	h.mu.Unlock()
	v.refreshSoon()
	return v
}

// Update replaces the facts. When req.Event is anything but EventTick (pane
// focus, cwd change, command exit), every status plugin is asked again now;
// otherwise the new facts are used at the next refresh.
func (v *StatusView) Update(req sdk.StatusRequest) {
	if req.Event.Time.IsZero() {
		req.Event.Time = time.Now()
	}
	v.mu.Lock()
	v.req = req
	v.mu.Unlock()
	if req.Event.Kind != sdk.EventTick {
		v.refreshSoon()
	}
}

func (v *StatusView) refreshSoon() {
	for _, p := range v.h.procs {
		v.mu.Lock()
		v.pending[p] = true
		v.mu.Unlock()
		p.signal()
	}
}

// Segments returns the status line: each status plugin's latest segments in
// configuration order, followed, for a plugin that is down, by its Marker.
func (v *StatusView) Segments() []sdk.Segment {
	var out []sdk.Segment
	for _, p := range v.h.procs {
		in := p.info()
		if in.Kind != sdk.KindStatus {
			continue
		}
		v.mu.Lock()
		out = append(out, v.segs[p]...)
		v.mu.Unlock()
		if in.State == StateRestarting || in.State == StateFailed || (in.State == StateStarting && in.Restarts > 0) {
			out = append(out, Marker(in.Name, in.State))
		}
	}
	return out
}

// Close unregisters the view; later calls to Segments return what it had.
func (v *StatusView) Close() {
	v.h.mu.Lock()
	delete(v.h.views, v)
	v.h.mu.Unlock()
	v.mu.Lock()
	v.closed = true
	v.mu.Unlock()
}

// MarkerPrefix starts the text of every Marker, so that renderers and tests
// can recognise it.
const MarkerPrefix = "⚠ "

// Marker is the segment shown in place of a status plugin that is down.
func Marker(name string, s State) sdk.Segment {
	return sdk.Segment{
		Text:  MarkerPrefix + name + " " + s.String(),
		FG:    sdk.Indexed(1), // red
		Attrs: sdk.AttrBold,
		Align: sdk.AlignRight,
	}
}

// markAll asks for a refresh of every view from p (after a (re)start).
func (h *Host) markAll(p *proc) {
	h.mu.Lock()
	views := make([]*StatusView, 0, len(h.views))
	for v := range h.views {
		views = append(views, v)
	}
	h.mu.Unlock()
	for _, v := range views {
		v.mu.Lock()
		v.pending[p] = true
		v.mu.Unlock()
	}
}

// statusLoop calls a status plugin: on its refresh interval for every view,
// and when woken for the views marked pending.
func (p *proc) statusLoop(ctx context.Context) {
	for {
		p.mu.Lock()
		refresh := p.refresh
		p.mu.Unlock()
		var tick <-chan time.Time
		var t *time.Timer
		if refresh > 0 {
			t = time.NewTimer(refresh)
			tick = t.C
		}
		all := false
		select {
		case <-ctx.Done():
			if t != nil {
				t.Stop()
			}
			return
		case <-p.wake:
		case <-tick:
			all = true
		}
		if t != nil {
			t.Stop()
		}
		p.refreshViews(ctx, all)
	}
}

func (p *proc) refreshViews(ctx context.Context, all bool) {
	impl, _ := p.running().(sdk.Status)
	if impl == nil {
		return // pending marks stay until the plugin is back
	}
	p.h.mu.Lock()
	views := make([]*StatusView, 0, len(p.h.views))
	for v := range p.h.views {
		views = append(views, v)
	}
	p.h.mu.Unlock()
	for _, v := range views {
		v.mu.Lock()
		due := all || v.pending[p]
		delete(v.pending, p)
		req := v.req
		v.mu.Unlock()
		if !due {
			continue
		}
		if all {
			req.Event = sdk.Event{Kind: sdk.EventTick, Time: time.Now()}
		}
		cctx, cancel := context.WithTimeout(ctx, p.h.cfg.StatusTimeout)
		segs, err := impl.Segments(cctx, req)
		cancel()
		p.callDone(err, p.h.cfg.MaxTimeouts)
		if err != nil {
			if ctx.Err() == nil {
				p.h.cfg.Logger.Named(p.spec.Name).Debug("status call failed; keeping previous segments", "error", err)
			}
			continue
		}
		segs = cleanSegments(segs)
		v.mu.Lock()
		diff := !v.closed && !slices.Equal(v.segs[p], segs)
		if diff {
			v.segs[p] = segs
		}
		v.mu.Unlock()
		if diff {
			v.notify()
		}
	}
}

// viewsChanged tells every view that p's state changed (for its marker).
func (h *Host) viewsChanged(p *proc) {
	if p.info().Kind != sdk.KindStatus {
		return
	}
	h.mu.Lock()
	views := make([]*StatusView, 0, len(h.views))
	for v := range h.views {
		views = append(views, v)
	}
	h.mu.Unlock()
	for _, v := range views {
		v.notify()
	}
}
