package mux_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every pane's read loop and every control connection must end when its
// server closes.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
