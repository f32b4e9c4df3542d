package cache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// ErrUntrusted is returned by ReadPrivate for a file that is not a regular
// file of this user's, or that others may write.
var ErrUntrusted = errors.New("not a regular file of this user's, or writable by others")

// ReadPrivate reads a secret file of at most max bytes without following a
// symbolic link (where the system can refuse one), and only when it is a
// regular file this user (or root) owns that others cannot write: a token
// or key read from a planted file would be the planter's.
func ReadPrivate(path string, max int64) ([]byte, fs.FileInfo, error) {
	f, err := openNoFollow(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() || !trusted(fi) {
		return nil, fi, fmt.Errorf("%s: %w", path, ErrUntrusted)
	}
	if fi.Size() > max {
		return nil, fi, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fi, err
	}
	if int64(len(data)) > max {
		return nil, fi, fmt.Errorf("%s: larger than %d bytes", path, max)
	}
	return data, fi, nil
}
