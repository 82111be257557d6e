// Command hang is a status plugin that handshakes and configures normally,
// then never answers a Segments call: the fault test's hung plugin.
package main

import (
	"context"
	"time"

	"github.com/goshterm/gosh/sdk"
)

type hang struct{}

func (hang) Configure(context.Context) (sdk.StatusConfig, error) {
	return sdk.StatusConfig{Refresh: time.Second}, nil
}

func (hang) Segments(context.Context, sdk.StatusRequest) ([]sdk.Segment, error) {
	select {} // sleeps forever, ignoring the deadline
}

func main() { sdk.Serve("hang", hang{}) }
