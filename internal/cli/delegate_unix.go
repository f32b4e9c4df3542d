//go:build !windows

package cli

import (
	"fmt"
	"os"
	"syscall"
)

// Delegate replaces this process with the companion, same arguments, same
// environment and the same parent, so shell detection still sees the shell.
func Delegate() error {
	path, err := companionPath()
	if err != nil {
		return err
	}
	argv := append([]string{path}, os.Args[1:]...)
	err = syscall.Exec(path, argv, os.Environ())
	return fmt.Errorf("starting %s: %w", path, err)
}
