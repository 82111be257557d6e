package sdk

import (
	"math"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goshterm/gosh/sdk/internal/pluginpb"
)

// Every value a plugin author can express survives the trip through the
// wire types unchanged.
func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	pane := Pane{ID: "%3", Rect: Rect{X: 1, Y: 2, Width: 80, Height: 23}, Echo: true, Canonical: true, Title: "vim", Program: "vim", Cwd: "/src"}
	tests := map[string]struct {
		in    any
		round func(any) any
	}{
		"predict request": {
			in: PredictRequest{Key: []byte("\x1b[D"), Lines: []string{"$ ls", "a b"}, CursorLine: 1, CursorCol: 3, Pane: pane, SRTT: 120 * time.Millisecond},
			round: func(v any) any {
				return predictRequestFromProto(predictRequestToProto(v.(PredictRequest)))
			},
		},
		"prediction with cells": {
			in: Prediction{Decision: Predict, Cells: []PredictedCell{{Row: 0, Col: 4, Text: "é"}, {Row: 0, Col: 5, Text: "字"}}},
			round: func(v any) any {
				return predictionFromProto(predictionToProto(v.(Prediction)))
			},
		},
		"reset": {
			in:    Prediction{Decision: Reset},
			round: func(v any) any { return predictionFromProto(predictionToProto(v.(Prediction))) },
		},
		"status request": {
			in: StatusRequest{
				Session: Session{ID: "$0", Name: "work", Windows: 3, Attached: 2},
				Window:  Window{ID: "@1", Index: 1, Name: "edit", Panes: 2},
				Pane:    pane,
				Client:  Client{ID: "c1", User: "ann", Width: 120, Height: 40, Term: "xterm-256color"},
				Event:   Event{Kind: EventCommandExit, PaneID: "%3", ExitStatus: 2, Time: time.UnixMilli(1700000000123)},
			},
			round: func(v any) any { return statusRequestFromProto(statusRequestToProto(v.(StatusRequest))) },
		},
		"segments": {
			in: []Segment{
				{Text: "main", FG: Indexed(2), Attrs: AttrBold | AttrUnderline},
				{Text: "12:00", FG: RGB(0x12, 0x34, 0x56), BG: Indexed(236), Align: AlignRight},
			},
			round: func(v any) any { return segmentsFromProto(segmentsToProto(v.([]Segment))) },
		},
		"status config": {
			in:    StatusConfig{Refresh: 5 * time.Second},
			round: func(v any) any { return statusConfigFromProto(statusConfigToProto(v.(StatusConfig))) },
		},
		"auth request": {
			in:    AuthRequest{User: "bob", UID: 1001, SSH: SSHConn{ClientAddr: "192.0.2.7:52100", KeyFingerprint: "SHA256:abc"}, Session: "pair", Access: AccessReadOnly},
			round: func(v any) any { return authRequestFromProto(authRequestToProto(v.(AuthRequest))) },
		},
		"challenge decision": {
			in:    AuthDecision{Verdict: Challenge, Prompt: "TOTP code: ", ChallengeID: "x1"},
			round: func(v any) any { return authDecisionFromProto(authDecisionToProto(v.(AuthDecision))) },
		},
		"deny decision": {
			in:    AuthDecision{Verdict: Deny, Reason: "not on the list"},
			round: func(v any) any { return authDecisionFromProto(authDecisionToProto(v.(AuthDecision))) },
		},
		"challenge answer": {
			in: ChallengeAnswer{Request: AuthRequest{User: "bob", Session: "s"}, ChallengeID: "x1", Answer: "287082"},
			round: func(v any) any {
				return challengeAnswerFromProto(challengeAnswerToProto(v.(ChallengeAnswer)))
			},
		},
		"description": {
			in:    Description{Name: "clock", Kind: KindStatus, Version: "1.2", SDKVersion: SDKVersion},
			round: func(v any) any { return describeFromProto(describeToProto(v.(Description))) },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.round(tc.in); !reflect.DeepEqual(got, tc.in) {
				t.Errorf("round trip changed the value:\n got %#v\nwant %#v", got, tc.in)
			}
		})
	}
}

// A peer that sends nil messages, unknown enum values or out-of-range
// numbers is read as the safe zero: no prediction opinion, deny, unknown
// kind, default colour.
func TestConvertFromGarbage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		got, want any
	}{
		"nil prediction defers": {
			got:  predictionFromProto(nil),
			want: Prediction{},
		},
		"unknown decision defers": {
			got:  predictionFromProto(&pluginpb.PredictResponse{Decision: 42}),
			want: Prediction{Decision: Defer},
		},
		"unknown verdict denies": {
			got:  authDecisionFromProto(&pluginpb.AuthDecision{Verdict: 7, Reason: "?"}),
			want: AuthDecision{Verdict: Deny, Reason: "?"},
		},
		"nil decision denies": {
			got:  authDecisionFromProto(nil),
			want: AuthDecision{Verdict: Deny},
		},
		"unknown kind": {
			got:  describeFromProto(&pluginpb.DescribeResponse{Name: "x", Kind: 9}),
			want: Description{Name: "x", Kind: KindUnknown},
		},
		"bad colours and attrs dropped": {
			got: segmentsFromProto(&pluginpb.StatusResponse{Segments: []*pluginpb.Segment{
				{Text: "a", Fg: &pluginpb.Color{Type: pluginpb.Color_TYPE_INDEXED, Value: 300}, Bg: &pluginpb.Color{Type: 9, Value: 1}, Attrs: 0xFFFF_FF01, Align: 5},
				{Text: "b", Fg: &pluginpb.Color{Type: pluginpb.Color_TYPE_RGB, Value: 0xFF123456}},
			}}),
			want: []Segment{{Text: "a", Attrs: AttrBold}, {Text: "b", FG: Color{Type: ColorRGB, Value: 0x123456}}},
		},
		"negative refresh": {
			got:  statusConfigFromProto(&pluginpb.ConfigureResponse{RefreshMillis: -5}),
			want: StatusConfig{},
		},
		"huge srtt": {
			got:  predictRequestFromProto(&pluginpb.PredictRequest{SrttMicros: math.MaxInt64}).SRTT,
			want: time.Duration(0),
		},
		"nil status request": {
			got:  statusRequestFromProto(nil),
			want: StatusRequest{},
		},
		"clamped coordinates": {
			got:  rectToProto(Rect{X: math.MaxInt32 + 10, Y: math.MinInt32 - 10}).GetX(),
			want: int32(math.MaxInt32),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	type both struct {
		Predictor
		Status
	}
	tests := map[string]struct {
		impl    any
		want    Kind
		wantErr bool
	}{
		"predictor":  {impl: struct{ Predictor }{}, want: KindPredictor},
		"status":     {impl: struct{ Status }{}, want: KindStatus},
		"authorizer": {impl: struct{ Authorizer }{}, want: KindAuthorizer},
		"none":       {impl: 42, wantErr: true},
		"two kinds":  {impl: both{}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := KindOf(tc.impl)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("KindOf = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func FuzzFromProto(f *testing.F) {
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Whatever bytes a peer sends, decoding and converting never panics
		// and yields only known enum values.
		var pr pluginpb.PredictResponse
		if proto.Unmarshal(b, &pr) == nil {
			if d := predictionFromProto(&pr).Decision; d < Defer || d > Reset {
				t.Fatalf("decision %v out of range", d)
			}
		}
		var ad pluginpb.AuthDecision
		if proto.Unmarshal(b, &ad) == nil {
			if v := authDecisionFromProto(&ad).Verdict; v < Deny || v > Challenge {
				t.Fatalf("verdict %v out of range", v)
			}
		}
		var sr pluginpb.StatusResponse
		if proto.Unmarshal(b, &sr) == nil {
			for _, s := range segmentsFromProto(&sr) {
				if s.Attrs&^allAttrs != 0 || s.FG.Type > ColorRGB {
					t.Fatalf("segment %+v not sanitised", s)
				}
			}
		}
		var sq pluginpb.StatusRequest
		if proto.Unmarshal(b, &sq) == nil {
			_ = statusRequestFromProto(&sq)
		}
	})
}
