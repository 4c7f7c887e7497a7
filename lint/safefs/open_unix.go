//go:build unix

package safefs

import "syscall"

// openFlags makes opening a FIFO return at once instead of waiting for a writer; fstat then
// rejects it. On a regular file O_NONBLOCK changes nothing.
const openFlags = syscall.O_NONBLOCK
