//go:build e2e

package integration

import (
	"testing"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
