//go:build unix

package main

import (
	"os"
	"syscall"
)

// interruptSignals stop a run: Ctrl-C, and SIGTERM from a CI runner cancelling the job.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}
