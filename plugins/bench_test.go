package plugins

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/goshterm/gosh/sdk"
)

// reportQuantiles adds p50 and p99 of the samples, in microseconds.
func reportQuantiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / float64(time.Microsecond) }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}

// BenchmarkPredict is the round trip of one predictor call to the real
// predict-prompt plugin subprocess, through Host.Predict with its deadline.
// The aim: p99 under 1 ms.
func BenchmarkPredict(b *testing.B) {
	bin := buildExamples(b)
	cfg := Config{Plugins: []Spec{{Name: "pp", Path: filepath.Join(bin, PluginPrefix+"predict-prompt")}}, PredictTimeout: time.Second}
	h := Start(cfg)
	defer h.Close()
	if err := h.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	req := sdk.PredictRequest{Key: []byte("l"), Lines: []string{"ls -l", "total 0", "ann@box:~$"}, CursorLine: 2, CursorCol: 11,
		Pane: sdk.Pane{Rect: sdk.Rect{Width: 80, Height: 24}, Echo: true}, SRTT: 80 * time.Millisecond}
	ctx := context.Background()
	samples := make([]time.Duration, 0, 1<<16)
	misses := 0
	for b.Loop() {
		start := time.Now()
		_, ok := h.Predict(ctx, req)
		if len(samples) < cap(samples) {
			samples = append(samples, time.Since(start))
		}
		if !ok {
			misses++
		}
	}
	b.ReportMetric(float64(misses), "no-answers")
	reportQuantiles(b, samples)
}

// BenchmarkStatusCall is the round trip of one Segments call to the real
// status-sysinfo plugin subprocess (which reads /proc/loadavg and walks up
// for .git on each call).
func BenchmarkStatusCall(b *testing.B) {
	bin := buildExamples(b)
	h := Start(Config{Plugins: []Spec{{Name: "si", Path: filepath.Join(bin, PluginPrefix+"status-sysinfo")}}})
	defer h.Close()
	if err := h.Wait(context.Background()); err != nil {
		b.Fatal(err)
	}
	impl, _ := h.procs[0].running().(sdk.Status)
	if impl == nil {
		b.Fatalf("sysinfo not running: %+v", h.Plugins())
	}
	req := sdk.StatusRequest{Session: sdk.Session{Name: "s"}, Pane: sdk.Pane{Cwd: b.TempDir()}}
	ctx := context.Background()
	samples := make([]time.Duration, 0, 1<<16)
	for b.Loop() {
		start := time.Now()
		if _, err := impl.Segments(ctx, req); err != nil {
			b.Fatal(err)
		}
		if len(samples) < cap(samples) {
			samples = append(samples, time.Since(start))
		}
	}
	reportQuantiles(b, samples)
}
