// Command gosh is a mobile shell and a terminal multiplexer in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/goshterm/gosh/cmd/gosh/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
