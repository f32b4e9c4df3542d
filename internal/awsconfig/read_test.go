package awsconfig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: MaxFileSize+1 bytes that take no disk.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cases := []struct{ name, path, want string }{
		{"directory", dir, "is a directory"},
		{"too large", big, "more than the 32 MiB"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, struct{ name, path, want string }{"/dev/zero", "/dev/zero", "is a character device"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadFiles(tc.path, filepath.Join(dir, "none"))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("got %v, want an error naming %s with %q", err, tc.path, tc.want)
			}
			if _, err := ReadSections(tc.path); err == nil {
				t.Fatal("ReadSections read it")
			}
		})
	}
}

func TestReadFollowsSymlinks(t *testing.T) {
	// Dotfile managers link ~/.aws/config; the CLI follows the link.
	dir := t.TempDir()
	real := write(t, dir, "real", "[profile a]\nregion = x\n")
	link := filepath.Join(dir, "config")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	c, err := LoadFiles(link, filepath.Join(dir, "none"))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Profile("a"); !ok || p.Get("region") != "x" {
		t.Fatalf("profile a = %+v", p)
	}
}

func TestReadSectionsMissing(t *testing.T) {
	if _, err := ReadSections(filepath.Join(t.TempDir(), "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want fs.ErrNotExist", err)
	}
}

func TestLoadFilesWithoutPath(t *testing.T) {
	if _, err := LoadFiles("", ""); err == nil || !strings.Contains(err.Error(), "HOME") {
		t.Fatalf("got %v, want an error that says to set HOME", err)
	}
}
