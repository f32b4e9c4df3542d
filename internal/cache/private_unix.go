//go:build unix

package cache

import (
	"os"
	"syscall"
)

// openNoFollow is os.Open that fails (ELOOP) on a symbolic link as the
// last part of the path, with no window between a check and the open.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
