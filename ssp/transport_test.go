package ssp_test

import (
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/conntest"
	"github.com/goshterm/gosh/ssp/ssptest"
)

func TestTransportBasic(t *testing.T) {
	s := ssptest.NewSim(t, ssptest.SimConfig{Seed: 1,
		Up: conntest.Link{Delay: 30 * time.Millisecond}, Down: conntest.Link{Delay: 30 * time.Millisecond}})
	s.Client.Current().Append([]byte("hello"))
	if !s.RunUntil(time.Second, s.Converged) {
		t.Fatalf("server got %q", s.ServerGot.Bytes())
	}
	s.Server.Current().Append([]byte("world"))
	if !s.RunUntil(time.Second, s.Converged) {
		t.Fatalf("client got %q", s.Client.Remote().Bytes())
	}
	if got := string(s.Client.Remote().Bytes()); got != "world" {
		t.Errorf("client remote = %q", got)
	}
	s.RunFor(5 * time.Second)
	t.Logf("client %+v", s.Client.Stats())
	t.Logf("server %+v", s.Server.Stats())
	t.Logf("srtt %v %v", s.Client.SRTT(), s.Server.SRTT())
	_ = ssp.Forever
}
