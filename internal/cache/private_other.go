//go:build !unix

package cache

import (
	"fmt"
	"os"
)

// openNoFollow refuses a symbolic link (or junction) found by Lstat where
// open has no O_NOFOLLOW. The window between the two is the profile
// folder's owner's alone: its ACL keeps other users out.
func openNoFollow(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 || fi.Mode()&os.ModeIrregular != 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrUntrusted)
	}
	return os.Open(path)
}
