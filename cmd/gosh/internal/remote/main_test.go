package remote

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a Fallback, relay or bootstrap leaves a
// goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
