package cache

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// WriteFile replaces path with data so that a reader, this process or the
// AWS CLI, sees the old file or the new one and never a part: a temporary
// file in the same folder, created anew (O_EXCL, never through a link),
// 0600, synced, then renamed over path; rename replaces a link at path
// rather than writing through it. The folder must be one awsenv trusts
// (see MkdirPrivate).
func WriteFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := MkdirPrivate(dir); err != nil {
		return err
	}
	f, err := createTemp(dir, "."+filepath.Base(path)+".")
	if err != nil {
		return fmt.Errorf("writing cache file in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// The umask can only take bits away; Chmod states 0600 whatever the
	// platform.
	if err = f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("writing cache file %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("writing cache file %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing cache file %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing cache file %s: %w", path, err)
	}
	if err = rename(tmp, path); err != nil {
		return fmt.Errorf("writing cache file %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// createTemp creates a new file prefix+RANDOM+".tmp" in dir, as
// os.CreateTemp does, but also refusing a symbolic link (O_NOFOLLOW, where
// O_EXCL alone leaves that to the platform).
func createTemp(dir, prefix string) (*os.File, error) {
	for range 100 {
		var b [8]byte
		rand.Read(b[:])
		name := filepath.Join(dir, prefix+hex.EncodeToString(b[:])+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, errors.New("no unused temporary file name")
}

// rename retries briefly on Windows, where a file another process is
// reading cannot be replaced for that moment.
func rename(from, to string) error {
	err := os.Rename(from, to)
	for i := 0; err != nil && runtime.GOOS == "windows" && i < 10; i++ {
		time.Sleep(20 * time.Millisecond)
		err = os.Rename(from, to)
	}
	return err
}

// syncDir makes the rename durable where folders can be synced; it is
// best effort, the file itself is already on disk.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// MkdirPrivate makes dir a cache folder awsenv can write to: it creates
// dir and its missing parents with mode 0700, under folders it checks
// first, and takes group and other read access away from dir itself when
// it is this user's: the AWS CLI creates ~/.aws/cli/cache with the umask,
// 0755. A folder on the way that others can change is refused with an
// *UntrustedError (see CheckFolder), and so is dir itself when others can
// write to it (the CLI's folder under a umask of 002): someone may have
// swapped its entries already, so only the user can say it is safe again
// (chmod go-w, or MakePrivate through `awsenv doctor --fix`).
func MkdirPrivate(dir string) error { return mkdirPrivate(dir, false) }

// MakePrivate is MkdirPrivate that also takes write access away from group
// and others on dir, when it is this user's: what `awsenv doctor --fix`
// does, when the user asks for it.
func MakePrivate(dir string) error { return mkdirPrivate(dir, true) }

func mkdirPrivate(dir string, writable bool) error {
	real, fi, err := walkFolders(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := checkParents(dir); err != nil {
			return err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating cache folder: %w", err)
		}
		real, fi, err = walkFolders(dir)
	}
	if err != nil {
		return err
	}
	if ownedOpen(fi, writable) {
		// real holds no links and every folder above it is safe: nobody
		// can swap it for another before the chmod.
		if err := os.Chmod(real, fi.Mode().Perm()&0o700); err != nil {
			return fmt.Errorf("making cache folder %s private: %w", real, err)
		}
		if fi, err = os.Lstat(real); err != nil {
			return err
		}
	}
	return checkLeaf(real, fi)
}

// checkParents checks the deepest folder above dir that exists, in which
// MkdirAll is about to create dir: no folder of awsenv's goes where others
// could move it.
func checkParents(dir string) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		real, fi, err := walkFolders(p)
		if err == nil {
			return checkParent(real, fi)
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(p) == p {
			return err
		}
	}
}
