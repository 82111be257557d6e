package server

import (
	"os"
	"os/signal"
	"syscall"
)

// notifySignals delivers the signals that end a session cleanly (mosh-server
// shuts down on SIGTERM and SIGINT, §1.6).
func notifySignals(c chan<- os.Signal) { signal.Notify(c, syscall.SIGTERM, syscall.SIGINT) }

func stopSignals(c chan<- os.Signal) { signal.Stop(c) }
