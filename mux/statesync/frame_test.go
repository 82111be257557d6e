package statesync

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/mux/statesync/internal/statepb/hostpb"
	"github.com/goshterm/gosh/vt"
)

// rowText returns row y of s as text, trailing blanks trimmed.
func rowText(s *vt.Screen, y int) string {
	cols, _ := s.Size()
	var b strings.Builder
	for x := range cols {
		c := s.Cell(x, y)
		switch {
		case c.Width == 0:
		case c.Text == "":
			b.WriteByte(' ')
		default:
			b.WriteString(c.Text)
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func sameVisible(t *testing.T, got, want *vt.Screen) {
	t.Helper()
	gc, gr := got.Size()
	wc, wr := want.Size()
	if gc != wc || gr != wr {
		t.Fatalf("size %d×%d, want %d×%d", gc, gr, wc, wr)
	}
	for y := range wr {
		if g, w := rowText(got, y), rowText(want, y); g != w {
			t.Errorf("row %d = %q, want %q", y, g, w)
		}
	}
	if g, w := got.Cursor(), want.Cursor(); g.X != w.X || g.Y != w.Y || g.Visible != w.Visible {
		t.Errorf("cursor %+v, want %+v", g, w)
	}
}

func TestFrameRoundTrip(t *testing.T) {
	server := NewFrame(80, 24)
	client := NewFrame(80, 24)
	old := server.Clone()

	server.Screen().Resize(40, 6)
	server.Screen().Write([]byte("$ echo hi\r\nhi\r\n\x1b[1;31mred\x1b[0m $ "))
	server.SetEchoAck(3)
	server.SetPane(Pane{Width: 40, Height: 6, ICANON: true, Echo: false, Program: "sudo"})
	server.SetGoshVersion(ProtocolVersion, "pane")

	if err := client.Apply(server.DiffFrom(old)); err != nil {
		t.Fatal(err)
	}
	sameVisible(t, client.Screen(), server.Screen())
	if c := client.Screen().Cell(0, 2); c.Style.Fg != vt.IndexedColor(1) || c.Style.Attrs&vt.Bold == 0 {
		t.Errorf("red bold cell arrived as %+v", c.Style)
	}
	if client.EchoAck() != 3 {
		t.Errorf("echo ack %d, want 3", client.EchoAck())
	}
	if p, ok := client.Pane(); !ok || p.Program != "sudo" || !p.ICANON || p.Echo {
		t.Errorf("pane = %+v %v", p, ok)
	}
	if v, f := client.GoshVersion(); v != ProtocolVersion || len(f) != 1 || f[0] != "pane" {
		t.Errorf("version = %d %q", v, f)
	}
	if d := server.DiffFrom(server.Clone()); len(d) != 0 {
		t.Errorf("diff of equal frames = %d bytes", len(d))
	}
}

// mosh-server emits EchoAck, then Resize, then HostBytes (§5.2); gosh's
// extension comes after, in an Instruction of its own.
func TestFrameDiffOrder(t *testing.T) {
	old := NewFrame(80, 24)
	f := old.Clone()
	f.SetEchoAck(4)
	f.Screen().Resize(100, 30)
	f.Screen().Write([]byte("x"))
	f.SetPane(Pane{Width: 100, Height: 30})
	var msg hostpb.HostMessage
	if err := proto.Unmarshal(f.DiffFrom(old), &msg); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, in := range msg.Instruction {
		n := 0
		for _, e := range []struct {
			name string
			has  bool
		}{
			{"echoack", proto.HasExtension(in, hostpb.E_Echoack)},
			{"resize", proto.HasExtension(in, hostpb.E_Resize)},
			{"hostbytes", proto.HasExtension(in, hostpb.E_Hostbytes)},
			{"pane", proto.HasExtension(in, hostpb.E_GoshPane)},
		} {
			if e.has {
				order = append(order, e.name)
				n++
			}
		}
		if n != 1 {
			t.Errorf("instruction carries %d extensions, want exactly 1", n)
		}
	}
	if got := strings.Join(order, ","); got != "echoack,resize,hostbytes,pane" {
		t.Errorf("order = %s", got)
	}
}

// An echo-ack change alone is mosh's {echoack: 4}: HostMessage{
// Instruction{echoack(7){echo_ack_num(8)=4}}}.
func TestFrameEchoAckOnlyWire(t *testing.T) {
	old := NewFrame(80, 24)
	f := old.Clone()
	f.SetEchoAck(4)
	want, _ := hex.DecodeString("0a043a024004")
	if got := f.DiffFrom(old); !bytes.Equal(got, want) {
		t.Errorf("diff = % x, want % x", got, want)
	}
	f.SetEchoAck(2)
	if f.EchoAck() != 4 {
		t.Errorf("echo ack went down to %d", f.EchoAck())
	}
}

// The first frame a real mosh-server sent to a 40×6 client (mosh-protocol.md
// §7, [verified]), then a typed command: a gosh client must show it.
func TestFrameAcceptsStockMoshServer(t *testing.T) {
	msg := func(ins ...*hostpb.Instruction) []byte {
		b, err := proto.Marshal(&hostpb.HostMessage{Instruction: ins})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	resize := &hostpb.Instruction{}
	proto.SetExtension(resize, hostpb.E_Resize, &hostpb.ResizeMessage{Width: proto.Int32(40), Height: proto.Int32(6)})
	hb := func(s string) *hostpb.Instruction {
		in := &hostpb.Instruction{}
		proto.SetExtension(in, hostpb.E_Hostbytes, &hostpb.HostBytes{Hoststring: []byte(s)})
		return in
	}
	first := "\x1b[r\x1b[0m\x1b[H\x1b[2J\x1b[?25l" + strings.Repeat("\x1b[K\n", 5) + "\x1b[K" +
		"\x1b[1;1H\x1b[?25h\x1b[0m\x1b[?2004l\x1b[?1003l\x1b[?1002l\x1b[?1001l\x1b[?1000l\x1b[?1004l\x1b[?1015l\x1b[?1006l\x1b[?1005l" + "# "
	f := NewFrame(80, 24)
	if err := f.Apply(msg(resize, hb(first))); err != nil {
		t.Fatal(err)
	}
	if err := f.Apply(msg(hb("echo hi\x1b[?25l\r\nhi\r\n# \x1b[?25h"))); err != nil {
		t.Fatal(err)
	}
	if c, r := f.Screen().Size(); c != 40 || r != 6 {
		t.Fatalf("size %d×%d, want 40×6", c, r)
	}
	for y, want := range []string{"# echo hi", "hi", "#"} {
		if got := rowText(f.Screen(), y); got != want {
			t.Errorf("row %d = %q, want %q", y, got, want)
		}
	}
	if _, ok := f.Pane(); ok {
		t.Error("pane facts from a server that sent none")
	}
	if v, _ := f.GoshVersion(); v != 0 {
		t.Errorf("gosh version %d from stock mosh", v)
	}
}

func TestFrameApplyRejects(t *testing.T) {
	bad := &hostpb.Instruction{}
	proto.SetExtension(bad, hostpb.E_Resize, &hostpb.ResizeMessage{Width: proto.Int32(0), Height: proto.Int32(6)})
	b, _ := proto.Marshal(&hostpb.HostMessage{Instruction: []*hostpb.Instruction{bad}})
	if err := NewFrame(80, 24).Apply(b); err == nil {
		t.Error("zero-width resize accepted")
	}
	if err := NewFrame(80, 24).Apply([]byte{0x0a, 0x7f}); err == nil {
		t.Error("truncated message accepted")
	}
}

// Repaint draws any screen onto a terminal showing anything else.
func TestRepaintReproducesScreen(t *testing.T) {
	src := vt.NewScreen(30, 5)
	src.Write([]byte("wide: \u4e16\u754c\r\n\x1b[7minverse\x1b[0m\r\n\x1b[38;5;200mcube\x1b[48;2;1;2;3m rgb\x1b[0m\x1b[3;4H"))
	dst := vt.NewScreen(30, 5)
	dst.Write([]byte("garbage everywhere\r\nmore garbage"))
	dst.Write(Repaint(src))
	sameVisible(t, dst, src)
	for _, xy := range [][2]int{{0, 1}, {0, 2}, {5, 2}} {
		if g, w := dst.Cell(xy[0], xy[1]).Style, src.Cell(xy[0], xy[1]).Style; g != w {
			t.Errorf("style at %v = %+v, want %+v", xy, g, w)
		}
	}
}

func FuzzFrameApply(f *testing.F) {
	ea, _ := hex.DecodeString("0a043a024004")
	f.Add(ea)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, diff []byte) {
		fr := NewFrame(20, 5)
		if err := fr.Apply(diff); err != nil {
			return
		}
		cols, rows := fr.Screen().Size()
		if c := fr.Screen().Cursor(); c.X < 0 || c.Y < 0 || c.X >= cols || c.Y >= rows {
			t.Fatalf("cursor %+v outside %d×%d", c, cols, rows)
		}
		// Whatever was accepted re-encodes into a frame showing the same.
		g := NewFrame(20, 5)
		if err := g.Apply(fr.DiffFrom(NewFrame(20, 5))); err != nil {
			t.Fatalf("re-encoded diff rejected: %v", err)
		}
		if g.EchoAck() != fr.EchoAck() {
			t.Fatalf("echo ack %d vs %d", g.EchoAck(), fr.EchoAck())
		}
	})
}
