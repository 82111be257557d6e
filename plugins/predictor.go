package plugins

import (
	"context"

	"github.com/goshterm/gosh/sdk"
)

// Predict asks the first running predictor plugin about one keystroke. ok is
// false when there is no answer — no predictor running, a call slower than
// Config.PredictTimeout, an error — and the caller must use its built-in
// heuristic for this key. It never blocks longer than the timeout.
//
// The client adapts this to predict.Heuristic; plugins does not import
// predict, so the adapter lives where both are visible (the cli wiring).
func (h *Host) Predict(ctx context.Context, req sdk.PredictRequest) (p sdk.Prediction, ok bool) {
	for _, pr := range h.procs {
		impl, _ := pr.running().(sdk.Predictor)
		if impl == nil {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, h.cfg.PredictTimeout)
		p, err := impl.Predict(cctx, req)
		cancel()
		pr.callDone(err, h.cfg.MaxTimeouts*20)
		if err != nil {
			return sdk.Prediction{}, false
		}
		return cleanPrediction(p, req), true
	}
	return sdk.Prediction{}, false
}

// HasPredictor reports whether a predictor plugin is configured (running or
// not), so that a client can skip building requests when there is none.
func (h *Host) HasPredictor() bool {
	for _, pr := range h.procs {
		pr.mu.Lock()
		k := pr.kind
		pr.mu.Unlock()
		if k == sdk.KindPredictor {
			return true
		}
	}
	return false
}
