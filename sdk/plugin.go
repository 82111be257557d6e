package sdk

import "context"

// Predictor is a prediction heuristic. It runs beside the gosh client and is
// asked about every keystroke the client could echo speculatively.
//
// The host gives each call a deadline of about 5 ms; a later answer is
// ignored for that keystroke and the built-in heuristic is used. Predict may
// be called concurrently and must not keep req's slices after returning.
type Predictor interface {
	Predict(ctx context.Context, req PredictRequest) (Prediction, error)
}

// Status renders segments of the status line. It runs beside the gosh
// daemon.
//
// Configure is called once after each start. Segments is called on the
// declared refresh interval and on events (pane focus, cwd change, command
// exit, attach), one call at a time per attached client; calls for
// different clients may overlap. A call that misses its deadline (a few
// hundred milliseconds) leaves the previous segments on screen.
type Status interface {
	Configure(ctx context.Context) (StatusConfig, error)
	Segments(ctx context.Context, req StatusRequest) ([]Segment, error)
}

// Authorizer decides who may attach to a session. It runs beside the gosh
// daemon.
//
// Authorize answers Allow, ReadOnly, Deny (with a reason) or Challenge. After
// a Challenge the client prompts its user and the host calls Answer with the
// reply, which must return Allow, ReadOnly or Deny (a second Challenge is
// treated as Deny). An error, a timeout or a crashed plugin denies: the host
// fails closed.
type Authorizer interface {
	Authorize(ctx context.Context, req AuthRequest) (AuthDecision, error)
	Answer(ctx context.Context, ans ChallengeAnswer) (AuthDecision, error)
}

// Describer is implemented by the host side of every plugin connection: it
// asks the plugin who it is. Plugin authors never implement it; Serve does.
type Describer interface {
	Describe(ctx context.Context) (Description, error)
}
