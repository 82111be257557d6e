// Command titlepredict is a predictor that decides by the pane's title
// alone: it predicts when the title is "predict-here" and refuses
// otherwise, so that a test can see the title reach the plugin.
package main

import (
	"context"

	"github.com/goshterm/gosh/sdk"
)

type byTitle struct{}

func (byTitle) Predict(_ context.Context, r sdk.PredictRequest) (sdk.Prediction, error) {
	if r.Pane.Title == "predict-here" {
		return sdk.Prediction{Decision: sdk.Predict}, nil
	}
	return sdk.Prediction{Decision: sdk.DontPredict}, nil
}

func main() { sdk.Serve("titlepredict", byTitle{}) }
