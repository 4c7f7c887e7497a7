//go:build !unix

package safefs

// openFlags: outside Unix there are no FIFOs on the file system to open.
const openFlags = 0
