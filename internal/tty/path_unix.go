//go:build !windows

package tty

import "os"

const terminalPath = "/dev/tty"

// openTerminal opens the controlling terminal once, for reading and
// drawing: on unix one file is both.
func openTerminal() (in, out *os.File, err error) {
	f, err := os.OpenFile(terminalPath, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}
