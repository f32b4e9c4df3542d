//go:build !unix

package awsconfig

import "os"

// openNoBlock opens path for reading. Outside unix, opening a named pipe
// does not wait for a writer, so there is nothing to guard against.
func openNoBlock(path string) (*os.File, error) {
	return os.Open(path)
}
