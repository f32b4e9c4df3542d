//go:build unix

package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxSymlinks bounds the links followed while walking a cache path, as
// the kernel's own limit does.
const maxSymlinks = 40

// walkFolders follows dir as the system does, one name at a time through
// any symbolic links, and checks every folder on the way except the last:
// each must be owned by this user or root and be writable by nobody else,
// unless it is sticky (/tmp), where others cannot rename or remove what is
// ours. Whoever can write to one of these folders can swap the cache for
// one of theirs. It returns the last folder's real path and information,
// which the caller judges (see checkLeaf). A missing folder is an error
// wrapping fs.ErrNotExist.
func walkFolders(dir string) (real string, leaf fs.FileInfo, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, fmt.Errorf("cache folder %s: %w", dir, err)
	}
	// cur is the real path reached so far, and curFI its information.
	cur := "/"
	curFI, err := os.Lstat(cur)
	if err != nil {
		return "", nil, err
	}
	todo := names(abs)
	hops := 0
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		if name == "." {
			continue
		}
		if name == ".." {
			// cur holds no links, so its parent is the real one.
			cur = filepath.Dir(cur)
			if curFI, err = os.Lstat(cur); err != nil {
				return "", nil, err
			}
			continue
		}
		// cur is not the last folder: it must be safe before its
		// entries are trusted.
		if err := checkFolder(cur, curFI, true); err != nil {
			return "", nil, err
		}
		next := filepath.Join(cur, name)
		fi, err := os.Lstat(next)
		if err != nil {
			return "", nil, fmt.Errorf("cache folder %s: %w", abs, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if hops++; hops > maxSymlinks {
				return "", nil, fmt.Errorf("cache folder %s: too many symbolic links", abs)
			}
			target, err := os.Readlink(next)
			if err != nil {
				return "", nil, fmt.Errorf("cache folder %s: %w", abs, err)
			}
			if filepath.IsAbs(target) {
				cur = "/"
				if curFI, err = os.Lstat(cur); err != nil {
					return "", nil, err
				}
			}
			todo = append(names(target), todo...)
			continue
		}
		if !fi.IsDir() {
			return "", nil, fmt.Errorf("cache folder %s: %s is not a folder", abs, next)
		}
		cur, curFI = next, fi
	}
	return cur, curFI, nil
}

func names(path string) []string {
	var out []string
	for _, n := range strings.Split(path, "/") {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// checkFolder applies the rule of walkFolders to one folder. sticky allows
// a sticky folder that others may write to (only above the cache folder:
// in the cache folder itself, others could still plant lock files and
// names).
func checkFolder(path string, fi fs.FileInfo, sticky bool) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Geteuid(); int(st.Uid) != uid && st.Uid != 0 {
		return &UntrustedError{Path: path, Reason: fmt.Sprintf("is owned by uid %d, not by you (uid %d)", st.Uid, uid),
			Fix: "move it away, or use a folder of your own (XDG_CACHE_HOME, for awsenv's cache)"}
	}
	if fi.Mode().Perm()&0o022 != 0 && !(sticky && fi.Mode()&fs.ModeSticky != 0) {
		return &UntrustedError{Path: path, Reason: fmt.Sprintf("can be written by others (%v)", fi.Mode()),
			Fix: "once you know nobody else changed it, run `chmod go-w " + path + "` (or `awsenv doctor --fix`)"}
	}
	return nil
}

// checkLeaf judges the cache folder itself: owned by this user (or root)
// and writable by nobody else.
func checkLeaf(path string, fi fs.FileInfo) error {
	return checkFolder(path, fi, false)
}

// checkParent judges a folder awsenv creates its cache folder in.
func checkParent(path string, fi fs.FileInfo) error {
	return checkFolder(path, fi, true)
}

// ownedOpen reports whether the cache folder fi is this user's and open
// to others, so that awsenv may take group and other access away from it:
// only read access, unless writable.
func ownedOpen(fi fs.FileInfo, writable bool) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	perm := fi.Mode().Perm()
	return ok && int(st.Uid) == os.Geteuid() && perm&0o077 != 0 && (writable || perm&0o022 == 0)
}

// checkFile judges a cache or lock file from the information of its open
// descriptor: a regular file of this user's that nobody else can write.
// sole also requires that no other name links to it, for a file awsenv
// writes into: a hard link would carry the write to that other name.
func checkFile(fi fs.FileInfo, sole bool) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%v)", fi.Mode().Type())
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return errors.New("no owner to check")
	}
	if uid := os.Geteuid(); int(st.Uid) != uid {
		return fmt.Errorf("owned by uid %d, not by you (uid %d)", st.Uid, uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("writable by others (%v)", fi.Mode().Perm())
	}
	// No link at all is a lock file its holder removed after this open:
	// the caller goes round, as for any lock file that changed.
	if sole && st.Nlink > 1 {
		return fmt.Errorf("has %d hard links", st.Nlink)
	}
	return nil
}

// unlinked reports whether the open file fi has no name any more.
func unlinked(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}
