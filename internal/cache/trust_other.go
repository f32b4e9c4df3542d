//go:build !unix

package cache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// walkFolders has no owners and modes to check where files carry none (on
// Windows, the ACL of the profile folder keeps other users out of
// %USERPROFILE%): it only resolves dir and checks that it is a folder.
func walkFolders(dir string) (string, fs.FileInfo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, fmt.Errorf("cache folder %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", nil, fmt.Errorf("cache folder %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return "", nil, fmt.Errorf("cache folder %s is not a folder", abs)
	}
	return abs, fi, nil
}

func checkLeaf(string, fs.FileInfo) error { return nil }

func checkParent(string, fs.FileInfo) error { return nil }

func ownedOpen(fs.FileInfo, bool) bool { return false }

// checkFile accepts only a regular file: a symbolic link or other reparse
// point opened in place reports another type.
func checkFile(fi fs.FileInfo, _ bool) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%v)", fi.Mode().Type())
	}
	return nil
}

func unlinked(fs.FileInfo) bool { return false }
