package cache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrUntrusted is what an UntrustedError wraps.
var ErrUntrusted = errors.New("cache folder others can change")

// UntrustedError is a cache folder that someone other than this user (or
// root) controls: whoever can write to it can plant credentials, swap one
// role's entry for another's, or point a lock file at a file of yours.
// awsenv neither reads nor writes there.
type UntrustedError struct {
	Path   string
	Reason string // "is owned by uid 65534, not by you (uid 1000)"
	Fix    string // the next step
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("cache folder %s %s: awsenv does not use a cache others can change; %s", e.Path, e.Reason, e.Fix)
}

func (e *UntrustedError) Unwrap() error { return ErrUntrusted }

// CheckFolder reports why dir is not a cache folder awsenv can trust, or
// nil: it, and every folder on the way to it, must be this user's (or
// root's) and writable by nobody else (sticky folders such as /tmp are
// allowed above it). A missing folder is an error wrapping fs.ErrNotExist.
func CheckFolder(dir string) error {
	real, fi, err := walkFolders(dir)
	if err != nil {
		return err
	}
	return checkLeaf(real, fi)
}

// ReadFile reads a cache file without following a symbolic link, without
// blocking on a FIFO, and only when its open descriptor shows a regular
// file of this user's that nobody else can write, of at most 1 MiB. It
// does not check the folder (see CheckFolder). Errors name the file and
// never quote its content.
func ReadFile(path string) ([]byte, error) {
	data, _, err := readFile(path)
	return data, err
}

func readFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := openNoFollow(path, false)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("reading cache file %s: %w", path, err)
	}
	if err := checkFile(fi, false); err != nil {
		return nil, nil, fmt.Errorf("cache file %s: %w", path, err)
	}
	if fi.Size() > maxFileSize {
		return nil, nil, fmt.Errorf("cache file %s: larger than %d bytes", path, maxFileSize)
	}
	// The size can change after the fstat: read no more than allowed.
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading cache file %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, nil, fmt.Errorf("cache file %s: larger than %d bytes", path, maxFileSize)
	}
	return data, fi, nil
}

// errSymlink is what opening a symbolic link without following it gives.
var errSymlink = errors.New("is a symbolic link, which awsenv does not follow")

// symlinkError explains a failed open of path: when path is a symbolic
// link, the platform's error (ELOOP, EMLINK, EFTYPE) says so badly.
func symlinkError(path string, err error) error {
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("cache file %s %w", path, errSymlink)
	}
	return err
}
