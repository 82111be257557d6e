package sdk

import (
	"math"
	"time"

	"github.com/goshterm/gosh/sdk/internal/pluginpb"
)

// Conversions between the plain SDK types and the generated gosh.plugin.v1
// messages, in terraform-plugin-go's fromproto/toproto style, so that
// generated types never reach an exported signature. The fromProto side
// reads whatever a peer sent: nil messages read as zero values, and enum
// values this SDK does not know map to the safe zero (Defer, Deny,
// KindUnknown, default colour, left). Conversions live in package sdk
// rather than sdk/internal/convert because they need the sdk types and sdk
// needs them: terraform breaks that cycle by serving from a subpackage,
// which would move sdk.Serve.

func clamp32(n int) int32 {
	switch {
	case n > math.MaxInt32:
		return math.MaxInt32
	case n < math.MinInt32:
		return math.MinInt32
	}
	return int32(n)
}

func describeToProto(d Description) *pluginpb.DescribeResponse {
	return &pluginpb.DescribeResponse{Name: d.Name, Kind: pluginpb.Kind(d.Kind), Version: d.Version, SdkVersion: d.SDKVersion}
}

func describeFromProto(r *pluginpb.DescribeResponse) Description {
	k := Kind(r.GetKind())
	if k < KindUnknown || k > KindAuthorizer {
		k = KindUnknown
	}
	return Description{Name: r.GetName(), Kind: k, Version: r.GetVersion(), SDKVersion: r.GetSdkVersion()}
}

func rectToProto(r Rect) *pluginpb.Rect {
	return &pluginpb.Rect{X: clamp32(r.X), Y: clamp32(r.Y), Width: clamp32(r.Width), Height: clamp32(r.Height)}
}

func rectFromProto(r *pluginpb.Rect) Rect {
	return Rect{X: int(r.GetX()), Y: int(r.GetY()), Width: int(r.GetWidth()), Height: int(r.GetHeight())}
}

func paneToProto(p Pane) *pluginpb.Pane {
	return &pluginpb.Pane{Id: p.ID, Rect: rectToProto(p.Rect), Echo: p.Echo, Canonical: p.Canonical, Title: p.Title, Program: p.Program, Cwd: p.Cwd}
}

func paneFromProto(p *pluginpb.Pane) Pane {
	return Pane{ID: p.GetId(), Rect: rectFromProto(p.GetRect()), Echo: p.GetEcho(), Canonical: p.GetCanonical(), Title: p.GetTitle(), Program: p.GetProgram(), Cwd: p.GetCwd()}
}

func predictRequestToProto(r PredictRequest) *pluginpb.PredictRequest {
	return &pluginpb.PredictRequest{
		Key: r.Key, Lines: r.Lines,
		CursorLine: clamp32(r.CursorLine), CursorCol: clamp32(r.CursorCol),
		Pane: paneToProto(r.Pane), SrttMicros: r.SRTT.Microseconds(),
	}
}

func predictRequestFromProto(r *pluginpb.PredictRequest) PredictRequest {
	srtt := r.GetSrttMicros()
	if srtt < 0 || srtt > math.MaxInt64/int64(time.Microsecond) {
		srtt = 0
	}
	return PredictRequest{
		Key: r.GetKey(), Lines: r.GetLines(),
		CursorLine: int(r.GetCursorLine()), CursorCol: int(r.GetCursorCol()),
		Pane: paneFromProto(r.GetPane()), SRTT: time.Duration(srtt) * time.Microsecond,
	}
}

func predictionToProto(p Prediction) *pluginpb.PredictResponse {
	r := &pluginpb.PredictResponse{Decision: pluginpb.PredictDecision(p.Decision)}
	for _, c := range p.Cells {
		r.Cells = append(r.Cells, &pluginpb.PredictedCell{Row: clamp32(c.Row), Col: clamp32(c.Col), Text: c.Text})
	}
	return r
}

func predictionFromProto(r *pluginpb.PredictResponse) Prediction {
	d := PredictDecision(r.GetDecision())
	if d < Defer || d > Reset {
		d = Defer
	}
	p := Prediction{Decision: d}
	for _, c := range r.GetCells() {
		p.Cells = append(p.Cells, PredictedCell{Row: int(c.GetRow()), Col: int(c.GetCol()), Text: c.GetText()})
	}
	return p
}

func statusConfigToProto(c StatusConfig) *pluginpb.ConfigureResponse {
	return &pluginpb.ConfigureResponse{RefreshMillis: c.Refresh.Milliseconds()}
}

func statusConfigFromProto(r *pluginpb.ConfigureResponse) StatusConfig {
	ms := r.GetRefreshMillis()
	if ms < 0 || ms > math.MaxInt64/int64(time.Millisecond) {
		ms = 0
	}
	return StatusConfig{Refresh: time.Duration(ms) * time.Millisecond}
}

func statusRequestToProto(r StatusRequest) *pluginpb.StatusRequest {
	var ms int64
	if !r.Event.Time.IsZero() {
		ms = r.Event.Time.UnixMilli()
	}
	return &pluginpb.StatusRequest{
		Session: &pluginpb.Session{Id: r.Session.ID, Name: r.Session.Name, Windows: clamp32(r.Session.Windows), Attached: clamp32(r.Session.Attached)},
		Window:  &pluginpb.Window{Id: r.Window.ID, Index: clamp32(r.Window.Index), Name: r.Window.Name, Panes: clamp32(r.Window.Panes)},
		Pane:    paneToProto(r.Pane),
		Client:  &pluginpb.Client{Id: r.Client.ID, User: r.Client.User, Width: clamp32(r.Client.Width), Height: clamp32(r.Client.Height), Term: r.Client.Term},
		Event:   &pluginpb.Event{Kind: pluginpb.EventKind(r.Event.Kind), PaneId: r.Event.PaneID, ExitStatus: clamp32(r.Event.ExitStatus), UnixMillis: ms},
	}
}

func statusRequestFromProto(r *pluginpb.StatusRequest) StatusRequest {
	s, w, c, e := r.GetSession(), r.GetWindow(), r.GetClient(), r.GetEvent()
	ek := EventKind(e.GetKind())
	if ek < EventTick || ek > EventAttach {
		ek = EventTick
	}
	var t time.Time
	if ms := e.GetUnixMillis(); ms != 0 {
		t = time.UnixMilli(ms)
	}
	return StatusRequest{
		Session: Session{ID: s.GetId(), Name: s.GetName(), Windows: int(s.GetWindows()), Attached: int(s.GetAttached())},
		Window:  Window{ID: w.GetId(), Index: int(w.GetIndex()), Name: w.GetName(), Panes: int(w.GetPanes())},
		Pane:    paneFromProto(r.GetPane()),
		Client:  Client{ID: c.GetId(), User: c.GetUser(), Width: int(c.GetWidth()), Height: int(c.GetHeight()), Term: c.GetTerm()},
		Event:   Event{Kind: ek, PaneID: e.GetPaneId(), ExitStatus: int(e.GetExitStatus()), Time: t},
	}
}

func colorToProto(c Color) *pluginpb.Color {
	return &pluginpb.Color{Type: pluginpb.Color_Type(c.Type), Value: c.Value}
}

func colorFromProto(c *pluginpb.Color) Color {
	switch c.GetType() {
	case pluginpb.Color_TYPE_INDEXED:
		if c.GetValue() > 255 {
			return Color{}
		}
		return Color{Type: ColorIndexed, Value: c.GetValue()}
	case pluginpb.Color_TYPE_RGB:
		return Color{Type: ColorRGB, Value: c.GetValue() & 0xFFFFFF}
	}
	return Color{}
}

// allAttrs is every attribute bit this SDK knows; others are dropped.
const allAttrs = AttrBold | AttrDim | AttrItalic | AttrUnderline | AttrReverse | AttrBlink

func segmentsToProto(segs []Segment) *pluginpb.StatusResponse {
	r := &pluginpb.StatusResponse{}
	for _, s := range segs {
		r.Segments = append(r.Segments, &pluginpb.Segment{
			Text: s.Text, Fg: colorToProto(s.FG), Bg: colorToProto(s.BG),
			Attrs: uint32(s.Attrs), Align: pluginpb.Align(s.Align),
		})
	}
	return r
}

func segmentsFromProto(r *pluginpb.StatusResponse) []Segment {
	var segs []Segment
	for _, s := range r.GetSegments() {
		a := AlignLeft
		if s.GetAlign() == pluginpb.Align_ALIGN_RIGHT {
			a = AlignRight
		}
		segs = append(segs, Segment{
			Text: s.GetText(), FG: colorFromProto(s.GetFg()), BG: colorFromProto(s.GetBg()),
			Attrs: Attr(s.GetAttrs()) & allAttrs, Align: a,
		})
	}
	return segs
}

func authRequestToProto(r AuthRequest) *pluginpb.AuthRequest {
	return &pluginpb.AuthRequest{
		User: r.User, Uid: clamp32(r.UID),
		Ssh:     &pluginpb.SSHConn{ClientAddr: r.SSH.ClientAddr, KeyFingerprint: r.SSH.KeyFingerprint},
		Session: r.Session, Access: pluginpb.Access(r.Access),
	}
}

func authRequestFromProto(r *pluginpb.AuthRequest) AuthRequest {
	a := AccessReadWrite
	if r.GetAccess() == pluginpb.Access_ACCESS_READ_ONLY {
		a = AccessReadOnly
	}
	return AuthRequest{
		User: r.GetUser(), UID: int(r.GetUid()),
		SSH:     SSHConn{ClientAddr: r.GetSsh().GetClientAddr(), KeyFingerprint: r.GetSsh().GetKeyFingerprint()},
		Session: r.GetSession(), Access: a,
	}
}

func authDecisionToProto(d AuthDecision) *pluginpb.AuthDecision {
	return &pluginpb.AuthDecision{Verdict: pluginpb.Verdict(d.Verdict), Reason: d.Reason, Prompt: d.Prompt, Echo: d.Echo, ChallengeId: d.ChallengeID}
}

func authDecisionFromProto(r *pluginpb.AuthDecision) AuthDecision {
	v := Verdict(r.GetVerdict())
	if v < Deny || v > Challenge {
		v = Deny
	}
	return AuthDecision{Verdict: v, Reason: r.GetReason(), Prompt: r.GetPrompt(), Echo: r.GetEcho(), ChallengeID: r.GetChallengeId()}
}

func challengeAnswerToProto(a ChallengeAnswer) *pluginpb.ChallengeAnswer {
	return &pluginpb.ChallengeAnswer{Request: authRequestToProto(a.Request), ChallengeId: a.ChallengeID, Answer: a.Answer}
}

func challengeAnswerFromProto(r *pluginpb.ChallengeAnswer) ChallengeAnswer {
	return ChallengeAnswer{Request: authRequestFromProto(r.GetRequest()), ChallengeID: r.GetChallengeId(), Answer: r.GetAnswer()}
}
