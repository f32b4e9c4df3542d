//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive flock on path without blocking. The file is
// removed on unlock so that locks do not pile up; a waiter that locked the
// removed file notices that path is now another file (or none) and tries
// again, so two holders can never both believe they hold the lock.
func tryLock(path string) (unlock func(), err error) {
	f, err := openLock(path)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		switch {
		case errors.Is(err, unix.EWOULDBLOCK) || errors.Is(err, unix.EINTR):
			return nil, errBusy
		case errors.Is(err, unix.ENOLCK) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS):
			// A file system without locks (some NFS setups): callers
			// go on without one, quietly, as they cannot do better.
			return nil, errors.ErrUnsupported
		}
		return nil, err
	}
	held, err1 := f.Stat()
	now, err2 := os.Lstat(path)
	if err1 != nil || err2 != nil || !os.SameFile(held, now) {
		f.Close()
		if err1 != nil {
			return nil, err1
		}
		// The previous holder removed the file we locked: go round.
		return nil, errBusy
	}
	writePID(f)
	return func() {
		// Remove the name only while it is still this lock's file.
		if now, err := os.Lstat(path); err == nil && os.SameFile(held, now) {
			os.Remove(path)
		}
		f.Close()
	}, nil
}
