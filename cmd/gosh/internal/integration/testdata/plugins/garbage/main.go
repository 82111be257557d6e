// Command garbage writes a line of garbage to stdout before serving, so
// that go-plugin's handshake line is not the first thing the host reads.
package main

import (
	"context"
	"fmt"

	"github.com/goshterm/gosh/sdk"
)

type status struct{}

func (status) Configure(context.Context) (sdk.StatusConfig, error) { return sdk.StatusConfig{}, nil }

func (status) Segments(context.Context, sdk.StatusRequest) ([]sdk.Segment, error) {
	return []sdk.Segment{{Text: "should-never-show"}}, nil
}

func main() {
	fmt.Println("\x1b[2Jhello, I am garbage on stdout")
	sdk.Serve("garbage", status{})
}
