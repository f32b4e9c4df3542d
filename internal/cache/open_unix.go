//go:build unix

package cache

import (
	"os"

	"golang.org/x/sys/unix"
)

// noFollow is the open flag that refuses a symbolic link as the last name.
const noFollow = unix.O_NOFOLLOW

// openNoFollow opens path without following a symbolic link and without
// blocking on a FIFO or device (O_NONBLOCK; the caller then checks that
// the descriptor is a regular file). create opens for writing, creating a
// missing file 0600 and never truncating one that exists.
func openNoFollow(path string, create bool) (*os.File, error) {
	flag := os.O_RDONLY
	if create {
		flag = os.O_RDWR | os.O_CREATE
	}
	f, err := os.OpenFile(path, flag|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0o600)
	if err != nil {
		return nil, symlinkError(path, err)
	}
	return f, nil
}
