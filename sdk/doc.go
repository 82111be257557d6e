// Package sdk is the public, stable API for writing gosh plugins.
//
// A gosh plugin is a separate executable that gosh starts and talks to over
// gRPC (hashicorp/go-plugin), so that a plugin that crashes, hangs or
// misbehaves never takes a session down. There are three kinds, one Go
// interface each:
//
//   - Predictor runs beside the client. It is asked about each keystroke the
//     client could echo speculatively (mosh-style local echo) and answers
//     Predict, DontPredict, Reset or Defer (let the built-in heuristic
//     decide), optionally with the cells to show. The host waits about 5 ms.
//   - Status runs beside the daemon and returns styled segments for the
//     status line, on a refresh interval it declares and on events (pane
//     focus, cwd change, command exit, attach).
//   - Authorizer runs beside the daemon and decides who may attach to a
//     session: Allow, ReadOnly, Deny with a reason, or a Challenge whose
//     answer the user types and the host passes to Answer.
//
// A complete plugin is a main package that calls Serve:
//
//	package main
//
//	import (
//		"context"
//		"time"
//
//		"github.com/goshterm/gosh/sdk"
//	)
//
//	type clock struct{}
//
//	func (clock) Configure(context.Context) (sdk.StatusConfig, error) {
//		return sdk.StatusConfig{Refresh: time.Second}, nil
//	}
//
//	func (clock) Segments(_ context.Context, req sdk.StatusRequest) ([]sdk.Segment, error) {
//		return []sdk.Segment{{
//			Text:  time.Now().Format("15:04"),
//			FG:    sdk.Indexed(6),
//			Align: sdk.AlignRight,
//		}}, nil
//	}
//
//	func main() { sdk.Serve("clock", clock{}, sdk.WithVersion("1.0.0")) }
//
// Build it as gosh-plugin-clock and put it in ~/.config/gosh/plugins/, or
// name it in ~/.config/gosh/config.yaml:
//
//	plugins:
//	  - name: clock
//	    path: /usr/local/libexec/gosh-plugin-clock
//	    kind: status
//	    args: ["--utc"]
//
// `gosh plugin list` shows each plugin, its kind, version and state. Test a
// plugin in-process with package sdktest, which connects a real host-side
// client to it over gRPC.
//
// # Compatibility
//
// The wire protocol is gosh.plugin.v1 (sdk/internal/pluginpb/plugin.proto),
// negotiated through go-plugin's VersionedPlugins under ProtocolVersion; a
// plugin in another language implements that service and the go-plugin
// handshake with the Handshake magic cookie. Fields are only ever added, so
// a plugin built with an older SDK keeps working; an incompatible change
// bumps ProtocolVersion and gosh refuses mismatched plugins with a message
// naming both versions.
//
// # Logging
//
// Anything a plugin writes to stderr reaches the host's log, one entry per
// line, tagged with the plugin's name. Stdout belongs to go-plugin: write
// nothing to it before Serve.
package sdk
