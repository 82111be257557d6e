// Package sdktest runs a gosh plugin in-process against the host side of
// the SDK, over a real gRPC connection (go-plugin's TestPluginGRPCConn), so
// that a plugin's tests exercise the same conversions and transport as gosh
// without building an executable.
//
//	func TestClock(t *testing.T) {
//		c := sdktest.Serve(t, "clock", clock{})
//		segs, err := c.Status.Segments(ctx, sdk.StatusRequest{})
//		…
//	}
package sdktest

import (
	"testing"

	"github.com/hashicorp/go-plugin"

	"github.com/goshterm/gosh/sdk"
)

// Conn is the host's side of an in-process plugin. Exactly one of Predictor,
// Status and Authorizer is set, matching the plugin's kind.
type Conn struct {
	Info       sdk.Describer
	Predictor  sdk.Predictor
	Status     sdk.Status
	Authorizer sdk.Authorizer
}

// Serve starts impl as plugin name, as sdk.Serve would, and connects a host
// to it. The connection is closed when the test ends. It fails the test if
// impl implements no single plugin kind.
func Serve(t testing.TB, name string, impl any, opts ...sdk.ServeOpt) *Conn {
	t.Helper()
	set, err := sdk.PluginSet(name, impl, opts...)
	if err != nil {
		t.Fatal(err)
	}
	client, _ := plugin.TestPluginGRPCConn(t, false, set)
	// Close asks the plugin side to stop through go-plugin's controller,
	// as a real host does; stopping the server here as well would race
	// with that handler inside go-plugin.
	t.Cleanup(func() { _ = client.Close() })
	c := &Conn{}
	raw, err := client.Dispense(sdk.InfoPluginName)
	if err != nil {
		t.Fatalf("sdktest: dispense info: %v", err)
	}
	c.Info = raw.(sdk.Describer)
	k, _ := sdk.KindOf(impl)
	raw, err = client.Dispense(sdk.PluginName(k))
	if err != nil {
		t.Fatalf("sdktest: dispense %v: %v", k, err)
	}
	switch k {
	case sdk.KindPredictor:
		c.Predictor = raw.(sdk.Predictor)
	case sdk.KindStatus:
		c.Status = raw.(sdk.Status)
	case sdk.KindAuthorizer:
		c.Authorizer = raw.(sdk.Authorizer)
	}
	return c
}
