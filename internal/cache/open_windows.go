//go:build windows

package cache

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// noFollow is 0: O_EXCL already creates with CREATE_NEW, which fails on
// any existing name, a link included.
const noFollow = 0

// openNoFollow opens path itself, never what a symbolic link or junction
// there points to (FILE_FLAG_OPEN_REPARSE_POINT): the caller's check of
// the descriptor then sees a link, not a regular file, and refuses it.
// create opens for writing, creating a missing file and never truncating.
// Windows has no owner and mode to check here; the profile folder's ACL
// keeps other users out of the default cache folders.
func openNoFollow(path string, create bool) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	access, disposition := uint32(windows.GENERIC_READ), uint32(windows.OPEN_EXISTING)
	if create {
		access |= windows.GENERIC_WRITE
		disposition = windows.OPEN_ALWAYS
	}
	h, err := windows.CreateFile(p, access,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
		disposition, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
