package sdk

import (
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// SDKVersion is this SDK's release. See CHANGELOG.md.
const SDKVersion = "0.1.0"

// ProtocolVersion is the gosh plugin protocol this SDK speaks. It is bumped on
// any incompatible change to gosh.plugin.v1; a host refuses a plugin whose
// version it does not speak, naming both.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake shared by gosh and its plugins. The
// magic cookie is not a security measure: it stops a user from running a
// plugin by hand and seeing gibberish, and lets a host tell a plugin from an
// arbitrary executable.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "GOSH_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "2f3a9c1e0b7d4e5f8a6c3b1d9e0f7a2c",
}

// The names under which the plugin kinds are dispensed. Every plugin serves
// InfoPluginName and the one kind it implements.
const (
	InfoPluginName       = "info"
	PredictorPluginName  = "predictor"
	StatusPluginName     = "status"
	AuthorizerPluginName = "authorizer"
)

// PluginName returns the dispense name of kind k.
func PluginName(k Kind) string {
	switch k {
	case KindPredictor:
		return PredictorPluginName
	case KindStatus:
		return StatusPluginName
	case KindAuthorizer:
		return AuthorizerPluginName
	}
	return ""
}

// PluginMap returns the plugin set a host uses to dispense any kind. Hosts
// pass VersionedPlugins() to go-plugin's ClientConfig instead of this, so
// that versions are negotiated.
func PluginMap() plugin.PluginSet {
	return plugin.PluginSet{
		InfoPluginName:       &InfoPlugin{},
		PredictorPluginName:  &PredictorPlugin{},
		StatusPluginName:     &StatusPlugin{},
		AuthorizerPluginName: &AuthorizerPlugin{},
	}
}

// VersionedPlugins returns the plugin sets by protocol version, for
// go-plugin's ClientConfig.VersionedPlugins.
func VersionedPlugins() map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{ProtocolVersion: PluginMap()}
}

// ServeOpt configures Serve.
type ServeOpt func(*serveConfig)

type serveConfig struct {
	version string
	logger  hclog.Logger
}

// WithVersion sets the plugin's own version, shown by `gosh plugin list`.
func WithVersion(v string) ServeOpt { return func(c *serveConfig) { c.version = v } }

// WithLogger sets the logger go-plugin uses inside the plugin. Its output
// must be JSON on stderr (hclog's JSONFormat) for the host to keep levels;
// any other line a plugin writes to stderr reaches the host's log at debug
// level.
func WithLogger(l hclog.Logger) ServeOpt { return func(c *serveConfig) { c.logger = l } }

// Serve runs impl as a gosh plugin named name, until the host stops it.
// impl must implement exactly one of Predictor, Status or Authorizer. Call it
// from main; run outside gosh, it prints a short notice and exits. A plugin
// whose host dies without stopping it (its parent process changes) exits
// on its own within a second.
func Serve(name string, impl any, opts ...ServeOpt) {
	cfg := &serveConfig{}
	for _, o := range opts {
		o(cfg)
	}
	set, err := pluginSet(name, impl, cfg.version)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if os.Getenv(Handshake.MagicCookieKey) == Handshake.MagicCookieValue {
		watchParent(parentPollInterval, func() {
			fmt.Fprintln(os.Stderr, "sdk: the gosh host that started this plugin is gone; exiting")
			os.Exit(0)
		})
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{ProtocolVersion: set},
		GRPCServer:       plugin.DefaultGRPCServer,
		Logger:           cfg.logger,
	})
}

// parentPollInterval is how often a served plugin checks that its host is
// still its parent.
const parentPollInterval = 500 * time.Millisecond

// watchParent calls exit once this process's parent changes: the host that
// started the plugin died without stopping it (kill -9, a crash) and the
// plugin was re-parented to init or a subreaper. On Linux the host also
// asks the kernel to kill its plugins when it dies (PR_SET_PDEATHSIG); this
// is the second line of defence, and the only one elsewhere or for a host
// that does not set it. A process whose parent is already init (1) has no
// host to lose and is not watched. The check runs for the life of the
// process, which is its bound.
func watchParent(every time.Duration, exit func()) {
	ppid := os.Getppid()
	if ppid <= 1 {
		return
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for range t.C {
			if os.Getppid() != ppid {
				exit()
				return
			}
		}
	}()
}

// KindOf returns the kind impl implements, or an error when it implements
// none or more than one.
func KindOf(impl any) (Kind, error) {
	var kinds []Kind
	if _, ok := impl.(Predictor); ok {
		kinds = append(kinds, KindPredictor)
	}
	if _, ok := impl.(Status); ok {
		kinds = append(kinds, KindStatus)
	}
	if _, ok := impl.(Authorizer); ok {
		kinds = append(kinds, KindAuthorizer)
	}
	switch len(kinds) {
	case 1:
		return kinds[0], nil
	case 0:
		return KindUnknown, fmt.Errorf("sdk: %T implements none of Predictor, Status, Authorizer", impl)
	}
	return KindUnknown, fmt.Errorf("sdk: %T implements more than one plugin kind %v; serve one per executable", impl, kinds)
}

// pluginSet is the plugin-side set for impl: its kind plus info.
func pluginSet(name string, impl any, version string) (plugin.PluginSet, error) {
	k, err := KindOf(impl)
	if err != nil {
		return nil, err
	}
	desc := Description{Name: name, Kind: k, Version: version, SDKVersion: SDKVersion}
	set := plugin.PluginSet{InfoPluginName: &InfoPlugin{Desc: desc}}
	switch k {
	case KindPredictor:
		set[PredictorPluginName] = &PredictorPlugin{Impl: impl.(Predictor)}
	case KindStatus:
		set[StatusPluginName] = &StatusPlugin{Impl: impl.(Status)}
	case KindAuthorizer:
		set[AuthorizerPluginName] = &AuthorizerPlugin{Impl: impl.(Authorizer)}
	}
	return set, nil
}

// PluginSet returns the plugin-side set that Serve would serve for impl. It
// exists for in-process tests (sdktest) and hosts that embed a plugin.
func PluginSet(name string, impl any, opts ...ServeOpt) (plugin.PluginSet, error) {
	cfg := &serveConfig{}
	for _, o := range opts {
		o(cfg)
	}
	return pluginSet(name, impl, cfg.version)
}
