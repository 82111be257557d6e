// Command badversion is a status plugin that speaks gosh plugin protocol
// 99, which no gosh speaks: the host must refuse it with a clear message.
package main

import (
	"context"

	"github.com/hashicorp/go-plugin"

	"github.com/goshterm/gosh/sdk"
)

type status struct{}

func (status) Configure(context.Context) (sdk.StatusConfig, error) { return sdk.StatusConfig{}, nil }

func (status) Segments(context.Context, sdk.StatusRequest) ([]sdk.Segment, error) {
	return []sdk.Segment{{Text: "from-the-future"}}, nil
}

func main() {
	set, err := sdk.PluginSet("badversion", status{})
	if err != nil {
		panic(err)
	}
	hs := sdk.Handshake
	hs.ProtocolVersion = 99
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  hs,
		VersionedPlugins: map[int]plugin.PluginSet{99: set},
		GRPCServer:       plugin.DefaultGRPCServer,
	})
}
