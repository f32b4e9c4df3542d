//go:build unix

package cache

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestPermissions is not parallel: it changes the process umask.
func TestPermissions(t *testing.T) {
	// Before the umask changes: testing makes the folder 0777 &^ umask,
	// and awsenv refuses a folder that others can write to.
	root := t.TempDir()
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	s := Store{Dir: filepath.Join(root, "a", "b", "cache")}
	if err := s.Put("k", testEntry(time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		s.Path("k"):                0o600,
		s.Dir:                      0o700,
		filepath.Join(root, "a"):   0o700,
		filepath.Join(root, "a/b"): 0o700,
	} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}

	// The AWS CLI makes its cache folder with the umask: 0755.
	cli := Store{Dir: filepath.Join(root, "cli-cache")}
	os.Mkdir(cli.Dir, 0o755)
	os.WriteFile(cli.Path("cli"), []byte("{}"), 0o600)
	if err := cli.Put("k", testEntry(time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(cli.Dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("existing cache folder left at %v, want 0700", fi.Mode().Perm())
	}
	if _, err := os.Stat(cli.Path("cli")); err != nil {
		t.Errorf("another entry was lost: %v", err)
	}
}
