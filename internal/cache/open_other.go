//go:build !unix && !windows

package cache

import (
	"fmt"
	"io/fs"
	"os"
)

const noFollow = 0

// openNoFollow has no O_NOFOLLOW here: it refuses a link it sees before
// opening, and the caller's check of the descriptor refuses anything but
// a regular file.
func openNoFollow(path string, create bool) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("cache file %s %w", path, errSymlink)
	}
	flag := os.O_RDONLY
	if create {
		flag = os.O_RDWR | os.O_CREATE
	}
	return os.OpenFile(path, flag, 0o600)
}
