package compose_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// model is a window as the daemon keeps it: a layout, each pane's live
// screen, copy-mode views, and the client's status line. Its frames are
// composed incrementally into one screen (as a client's loop composes into
// its transport's current frame, which the transport clones for each
// send) and from scratch, and must come out the same.
type model struct {
	rng      *rand.Rand
	tree     *layout.Tree
	next     layout.PaneID
	screens  map[layout.PaneID]*vt.Screen
	views    map[layout.PaneID]*vt.Screen // panes in copy mode: a reused, redrawn screen
	active   layout.PaneID
	marked   layout.PaneID // -1: none
	w, h     int
	smaller  bool // the window is smaller than the client: dots
	zoomed   bool
	status   compose.Status
	mouse    bool
	clockMin int
	winBuf   []compose.Window
}

var texts = []string{
	"$ ", "x", "ls -l\r\n", "中文字", "e\u0301", "😀", "\x1b[31mred\x1b[m", "\x1b[2J\x1b[H", "\r\n\r\n\r\n",
	"\x1b[?1049h", "\x1b[?1049l", "\x1b[5;3Hhere", "\x1b]2;title\x07", "\x1b[?1000h", "\x1b[?25l", "\x1b[?25h",
	"\x1b[44m    \x1b[m", "a\bb", "\x1b[K", "\x1b[3L", "\x1b[2M", strings.Repeat("long line ", 12),
}

func newModel(seed uint64) *model {
	m := &model{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), screens: map[layout.PaneID]*vt.Screen{},
		views: map[layout.PaneID]*vt.Screen{}, marked: -1, w: 40, h: 12}
	m.tree = layout.New(m.w, m.h-1, 0)
	m.screens[0] = vt.NewScreen(m.w, m.h-1)
	m.next = 1
	m.status = compose.Status{Session: "dev", Windows: []compose.Window{{Index: 0, Name: "sh", Current: true}, {Index: 1, Name: "vim", Last: true}},
		PaneTitle: "host", Clock: testClock}
	return m
}

// fit resizes every pane's screen to its rect, as the daemon does after a
// layout change.
func (m *model) fit() {
	for _, pr := range m.tree.Rects() {
		if s := m.screens[pr.Pane]; s != nil {
			if w, h := s.Size(); w != pr.W || h != pr.H {
				s.Resize(pr.W, pr.H)
			}
		}
	}
}

func (m *model) pick() layout.PaneID {
	ids := m.tree.Panes()
	return ids[m.rng.IntN(len(ids))]
}

// step changes one thing, as the daemon's panes, commands and clients do.
func (m *model) step() {
	r := m.rng
	switch n := r.IntN(40); {
	case n < 20: // output: most steps, as typing is
		p := m.pick()
		m.screens[p].WriteString(texts[r.IntN(len(texts))])
	case n < 22:
		dir := layout.Horizontal
		if r.IntN(2) == 0 {
			dir = layout.Vertical
		}
		if m.tree.Split(m.pick(), dir, m.next, layout.Size{}, r.IntN(2) == 0) == nil {
			m.screens[m.next] = vt.NewScreen(1, 1)
			m.next++
			m.fit()
		}
	case n < 23:
		if ids := m.tree.Panes(); len(ids) > 1 {
			p := m.pick()
			if m.tree.Remove(p) == nil {
				delete(m.screens, p)
				delete(m.views, p)
				if m.active == p {
					m.active = m.tree.Panes()[0]
				}
				if m.marked == p {
					m.marked = -1
				}
				m.fit()
			}
		}
	case n < 24:
		m.zoomed = !m.zoomed
	case n < 26:
		m.active = m.pick()
	case n < 27:
		m.marked = m.pick()
		if r.IntN(2) == 0 {
			m.marked = -1
		}
	case n < 29: // copy mode: enter, redraw the view, leave
		p := m.pick()
		v := m.views[p]
		switch {
		case v == nil:
			pw, ph := m.screens[p].Size()
			m.views[p] = vt.NewScreen(pw, ph)
		case r.IntN(3) == 0:
			delete(m.views, p)
		default:
			v.WriteString(texts[r.IntN(len(texts))])
		}
	case n < 31:
		m.status.Windows[0].Name = []string{"sh", "vim", "a-much-longer-name", "top"}[r.IntN(4)]
		m.status.Windows[1].Activity = r.IntN(2) == 0
	case n < 32:
		m.status.Message = []string{"", "", "no such pane", "a message"}[r.IntN(4)]
	case n < 33:
		m.status.Prompt = []string{"", "", ":kill-pa", "kill-pane 1? (y/n) "}[r.IntN(4)]
	case n < 34:
		m.clockMin++
		m.status.Clock = testClock.Add(time.Duration(m.clockMin/2) * time.Minute).Add(time.Duration(m.clockMin) * time.Second)
	case n < 35:
		m.status.Off = !m.status.Off
	case n < 36:
		m.mouse = !m.mouse
	case n < 37:
		m.status.Segments = [][]compose.Segment{nil, {{Text: "cpu 3%", Align: compose.AlignRight}}}[r.IntN(2)]
	case n < 38: // the client resizes: the window follows
		m.w, m.h = 20+r.IntN(40), 6+r.IntN(12)
		m.resizeWindow()
	case n < 39: // another, smaller client sets the window size
		m.smaller = !m.smaller
		m.resizeWindow()
	default:
		m.status.PaneTitle = []string{"host", ""}[r.IntN(2)]
	}
}

func (m *model) resizeWindow() {
	ww, wh := m.w, m.h-1
	if m.smaller {
		ww, wh = max(ww-7, 3), max(wh-3, 2)
	}
	m.tree.Resize(ww, wh)
	m.fit()
}

// spec builds the frame as the daemon does: a Frozen snapshot of each
// pane's screen, or its copy-mode view.
func (m *model) spec() *compose.FrameSpec {
	lw, lh := m.tree.Size()
	st := m.status
	// One slice reused from frame to frame, as the daemon's client does:
	// the Composer must keep a copy of what it drew, not the slice.
	st.Windows = append(m.winBuf[:0], m.status.Windows...)
	m.winBuf = st.Windows
	spec := &compose.FrameSpec{Width: m.w, Height: m.h, WindowWidth: lw, WindowHeight: lh, Active: -1,
		Zoomed: m.zoomed, MouseOn: m.mouse, Status: st}
	for _, pr := range m.tree.Rects() {
		p := compose.Pane{Rect: pr.Rect, Marked: pr.Pane == m.marked}
		if v := m.views[pr.Pane]; v != nil {
			p.Screen = v
		} else {
			p.Screen, p.Frozen = m.screens[pr.Pane].Clone(), true
		}
		if pr.Pane == m.active {
			spec.Active = len(spec.Panes)
		}
		spec.Panes = append(spec.Panes, p)
	}
	return spec
}

// checkIncremental runs steps from seed, composing each frame both ways.
func checkIncremental(t *testing.T, seed uint64, steps int) {
	m := newModel(seed)
	var inc compose.Composer
	frame := inc.Compose(nil, m.spec())
	var sent *vt.Screen
	for i := range steps {
		n := 1 + m.rng.IntN(3)
		for range n {
			m.step()
		}
		spec := m.spec()
		if sent != nil && m.rng.IntN(8) == 0 {
			// Another screen, holding an older frame: all of it is
			// redrawn.
			frame = sent.Clone()
		}
		frame = inc.Compose(frame, spec)
		if m.rng.IntN(2) == 0 {
			sent = frame.Clone() // the transport keeps what it sent
		}
		var full compose.Composer
		want := full.Compose(nil, spec)
		if !frame.FrameEqual(want) {
			t.Fatalf("seed %d step %d: incremental frame differs from a full redraw:\n%s\nwant\n%s",
				seed, i, vttest.Dump(frame), vttest.Dump(want))
		}
		for x := range m.w {
			gi, gok := inc.WindowAt(x)
			wi, wok := full.WindowAt(x)
			if gi != wi || gok != wok {
				t.Fatalf("seed %d step %d: WindowAt(%d) = %d %v, full redraw %d %v", seed, i, x, gi, gok, wi, wok)
			}
		}
	}
}

// TestComposeIncrementalEqualsFull: composing into the previous frame,
// which redraws only what changed, gives the frame a full redraw gives,
// over random sequences of output, splits, removals, zoom, copy mode,
// status line changes and resizes.
func TestComposeIncrementalEqualsFull(t *testing.T) {
	for seed := range uint64(60) {
		checkIncremental(t, seed, 150)
	}
}

// TestComposeSkipsUnchangedRows: while one pane prints a character, the
// frame's other rows stay the rows the transport sent (shared, not
// rewritten), and the changed row is the new text.
func TestComposeSkipsUnchangedRows(t *testing.T) {
	pane := vt.NewScreen(40, 5)
	pane.WriteString("$ ")
	spec := &compose.FrameSpec{Width: 40, Height: 6, Active: 0, Status: status(),
		Panes: []compose.Pane{{Rect: layout.Rect{W: 40, H: 5}, Screen: pane.Clone(), Frozen: true}}}
	var c compose.Composer
	frame := c.Compose(nil, spec)
	sent := frame.Clone()
	pane.WriteString("x")
	spec.Panes[0].Screen = pane.Clone()
	frame = c.Compose(frame, spec)
	if got := rows(frame)[0]; !strings.HasPrefix(got, "$ x") {
		t.Fatalf("row 0 = %q, want the typed x", got)
	}
	for y := 1; y < 6; y++ {
		if !frame.SameRow(sent, y) {
			t.Errorf("row %d was rewritten although nothing in it changed", y)
		}
	}
	if frame.SameRow(sent, 0) {
		t.Error("row 0 still shared with the sent frame")
	}
}

// FuzzComposeIncremental is TestComposeIncrementalEqualsFull from any
// seed.
func FuzzComposeIncremental(f *testing.F) {
	f.Add(uint64(1), uint8(40))
	f.Add(uint64(12345), uint8(200))
	f.Fuzz(func(t *testing.T, seed uint64, steps uint8) {
		checkIncremental(t, seed, int(steps))
	})
}
