package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// WriteFile replaces path with data so that a reader, this process or the
// AWS CLI, sees the old file or the new one and never a part: a temporary
// file in the same folder, synced, then renamed over path. The file is
// 0600 and the folder 0700.
func WriteFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := MkdirPrivate(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
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
	// CreateTemp already makes 0600; Chmod states it whatever the platform.
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

// MkdirPrivate creates dir and its missing parents with mode 0700, and
// takes group and other access away from dir itself when it already
// exists: the AWS CLI creates ~/.aws/cli/cache with the umask's 0755.
func MkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating cache folder: %w", err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("creating cache folder: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		// Not fatal: a folder of someone else's is theirs to fix, and the
		// files in it are 0600 anyway.
		os.Chmod(dir, fi.Mode().Perm()&0o700)
	}
	return nil
}
