package impair

import (
	"testing"

	"go.uber.org/goleak"
)

// Close must join every goroutine the proxy started.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
