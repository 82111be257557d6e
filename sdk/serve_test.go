package sdk_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"testing"

	"go.uber.org/goleak"

	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/sdk/sdktest"
)

type echoPredictor struct{}

func (echoPredictor) Predict(_ context.Context, r sdk.PredictRequest) (sdk.Prediction, error) {
	if string(r.Key) == "!" {
		return sdk.Prediction{}, errors.New("bang")
	}
	return sdk.Prediction{Decision: sdk.Predict, Cells: []sdk.PredictedCell{{Row: r.CursorLine, Col: r.CursorCol, Text: string(r.Key)}}}, nil
}

type fixedStatus struct{}

func (fixedStatus) Configure(context.Context) (sdk.StatusConfig, error) {
	return sdk.StatusConfig{Refresh: 2e9}, nil
}

func (fixedStatus) Segments(_ context.Context, r sdk.StatusRequest) ([]sdk.Segment, error) {
	return []sdk.Segment{{Text: "[" + r.Session.Name + "]", FG: sdk.Indexed(3)}}, nil
}

type denyAll struct{}

func (denyAll) Authorize(context.Context, sdk.AuthRequest) (sdk.AuthDecision, error) {
	return sdk.AuthDecision{Verdict: sdk.Challenge, Prompt: "word: ", ChallengeID: "c"}, nil
}

func (denyAll) Answer(_ context.Context, a sdk.ChallengeAnswer) (sdk.AuthDecision, error) {
	if a.Answer == "open" && a.ChallengeID == "c" && a.Request.Session == "s" {
		return sdk.AuthDecision{Verdict: sdk.Allow}, nil
	}
	return sdk.AuthDecision{Verdict: sdk.Deny, Reason: "wrong word"}, nil
}

// Each kind answers through a real gRPC connection, and the plugin's
// errors reach the host as errors.
func TestServeEachKind(t *testing.T) {
	ctx := context.Background()

	p := sdktest.Serve(t, "echo", echoPredictor{}, sdk.WithVersion("1.0.0"))
	d, err := p.Info.Describe(ctx)
	if err != nil || d != (sdk.Description{Name: "echo", Kind: sdk.KindPredictor, Version: "1.0.0", SDKVersion: sdk.SDKVersion}) {
		t.Fatalf("Describe = %+v, %v", d, err)
	}
	got, err := p.Predictor.Predict(ctx, sdk.PredictRequest{Key: []byte("x"), CursorLine: 2, CursorCol: 7})
	want := sdk.Prediction{Decision: sdk.Predict, Cells: []sdk.PredictedCell{{Row: 2, Col: 7, Text: "x"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Predict = %+v, %v; want %+v", got, err, want)
	}
	if _, err := p.Predictor.Predict(ctx, sdk.PredictRequest{Key: []byte("!")}); err == nil {
		t.Error("a plugin error did not reach the host")
	}

	s := sdktest.Serve(t, "fixed", fixedStatus{})
	cfg, err := s.Status.Configure(ctx)
	if err != nil || cfg.Refresh != 2e9 {
		t.Errorf("Configure = %+v, %v", cfg, err)
	}
	segs, err := s.Status.Segments(ctx, sdk.StatusRequest{Session: sdk.Session{Name: "work"}})
	if err != nil || len(segs) != 1 || segs[0].Text != "[work]" || segs[0].FG != sdk.Indexed(3) {
		t.Errorf("Segments = %+v, %v", segs, err)
	}

	a := sdktest.Serve(t, "word", denyAll{})
	req := sdk.AuthRequest{User: "u", Session: "s"}
	dec, err := a.Authorizer.Authorize(ctx, req)
	if err != nil || dec.Verdict != sdk.Challenge || dec.Prompt != "word: " {
		t.Fatalf("Authorize = %+v, %v", dec, err)
	}
	for answer, want := range map[string]sdk.Verdict{"open": sdk.Allow, "shut": sdk.Deny} {
		dec, err := a.Authorizer.Answer(ctx, sdk.ChallengeAnswer{Request: req, ChallengeID: dec.ChallengeID, Answer: answer})
		if err != nil || dec.Verdict != want {
			t.Errorf("Answer(%q) = %+v, %v; want %v", answer, dec, err, want)
		}
	}
}

// serveFixtureEnv makes the test binary serve fixedStatus with sdk.Serve
// (TestMain).
const serveFixtureEnv = "GOSH_SDK_SERVE_FIXTURE"

func TestMain(m *testing.M) {
	if os.Getenv(serveFixtureEnv) != "" { // re-executed as a plugin
		sdk.Serve("fixture", fixedStatus{})
		return
	}
	goleak.VerifyTestMain(m)
}
