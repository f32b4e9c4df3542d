//go:build unix

package cache

import (
	"io/fs"
	"os"
	"syscall"
)

// trusted refuses a file that someone other than this user (or root)
// owns, or that others may write: its credentials could be planted.
func trusted(fi fs.FileInfo) bool {
	if fi.Mode().Perm()&0o022 != 0 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	uid := os.Geteuid()
	return int(st.Uid) == uid || st.Uid == 0
}
