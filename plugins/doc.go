// Package plugins is gosh's plugin host: it finds plugin executables, starts
// them with hashicorp/go-plugin, checks the handshake, supervises them and
// calls them with a deadline, so that a plugin that crashes, hangs or
// returns garbage never panics or blocks the daemon or the client.
//
// # Discovery
//
// Load reads the plugins named in the config file (DefaultConfigPath,
// ~/.config/gosh/config.yaml, key "plugins") and every executable in the
// plugins directory (DefaultDir, ~/.config/gosh/plugins). A plugin's kind is
// learned from its Info service right after the handshake; the config may
// pin it. An executable that is not a gosh plugin, or speaks another
// protocol version, is reported as Failed with a message that names it and
// both versions, and nothing else is affected.
//
// # Supervision
//
//	Starting ──handshake ok──▶ Running ──crash / hang──▶ Restarting ──back-off──▶ Starting
//	    │                                                    │
//	    └── refused (not a plugin, wrong protocol or kind) ──┴── too many failures ──▶ Failed
//
// A crash (the process exits) or a hang (MaxTimeouts calls in a row time
// out) restarts the plugin after an exponential back-off (BackoffMin
// doubling up to BackoffMax). Host.Plugins exposes each plugin's state, last
// error and restart count; a status plugin that is down leaves its last
// segments on the status line followed by its Marker.
//
// Plugins never outlive their host: on Linux each is started with a
// parent-death signal (SIGKILL), so a daemon or client killed with kill -9
// takes its plugins with it, and sdk.Serve exits a plugin whose parent
// changes. MuxHooks also implements mux.PluginLister, so that the daemon's
// list-plugins, and so `gosh plugin list`, shows the live Host.Plugins.
//
// # Calls
//
//   - Host.Predict: one keystroke, deadline PredictTimeout (5 ms). No answer
//     means the caller uses its built-in heuristic for that key.
//   - StatusView: one per attached client. Status plugins are called from
//     the host's own loops (refresh interval, events); Segments never waits.
//     A call that times out keeps the previous segments.
//   - Host.Authorize and Host.Answer: the authorizer chain; fails closed
//     while an authorizer is down. An executable found in the plugins
//     directory that never completes a handshake has no kind and is not
//     consulted, so pin "kind: authorizer" in the config file for a plugin
//     that must gate attaches even when it cannot start.
//
// Plugin output is sanitised: control characters are stripped from text,
// predicted cells outside the pane are dropped, and counts are capped.
//
// # Wiring
//
// plugins imports sdk, go-plugin and mux (for mux.Hooks and compose
// segments), never predict or the client. MuxHooks adapts a Host to
// mux.Hooks: the daemon (gosh server daemon, cmd/gosh/internal/cli) sets
// mux.Config.Hooks to it, so that mux asks for each attached client's
// StatusView (fed with the client's facts and pane-focus, cwd-change and
// command-exit events) and runs attaches past Authorize and Answer, keeping
// the challenge id on its side. The client wiring adapts Host.Predict to
// predict.Heuristic. Plugin logs go through hclog to Config.Logger, one
// sub-logger per plugin; HCLog bridges it into the daemon's slog.Logger.
package plugins
