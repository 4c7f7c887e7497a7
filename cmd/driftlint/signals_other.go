//go:build !unix

package main

import "os"

// interruptSignals stop a run: Ctrl-C (Windows delivers no SIGTERM to a console program).
var interruptSignals = []os.Signal{os.Interrupt}
