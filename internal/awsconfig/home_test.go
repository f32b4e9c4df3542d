package awsconfig

import (
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestHome(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("HOME is the unix variable")
	}
	u, err := user.Current()
	if err != nil || u.HomeDir == "" {
		t.Skip("no password database entry for this user")
	}
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")

	t.Run("HOME unset: the password database", func(t *testing.T) {
		t.Setenv("HOME", "")
		home, err := Home()
		if err != nil || home != u.HomeDir {
			t.Fatalf("Home() = %q, %v; want %q", home, err, u.HomeDir)
		}
		cf, crf, err := SharedFiles()
		if err != nil || cf != filepath.Join(u.HomeDir, ".aws", "config") || crf != filepath.Join(u.HomeDir, ".aws", "credentials") {
			t.Fatalf("SharedFiles() = %q, %q, %v", cf, crf, err)
		}
	})
	t.Run("relative HOME: an error, never ./.aws", func(t *testing.T) {
		t.Setenv("HOME", "relative")
		if home, err := Home(); err == nil || !strings.Contains(err.Error(), "not an absolute path") {
			t.Fatalf("Home() = %q, %v", home, err)
		}
		if _, err := Load(); err == nil {
			t.Fatal("Load read files with a relative home")
		}
		if cf, crf := Paths(); cf != "" || crf != "" {
			t.Fatalf("Paths() = %q, %q, want empty paths", cf, crf)
		}
	})
	t.Run("explicit files need no home", func(t *testing.T) {
		t.Setenv("HOME", "relative")
		dir := t.TempDir()
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "c"))
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "cr"))
		if _, err := Load(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("~ in the variables", func(t *testing.T) {
		t.Setenv("HOME", "/h")
		t.Setenv("AWS_CONFIG_FILE", "~/c")
		if cf, _, err := SharedFiles(); err != nil || cf != filepath.Join("/h", "c") {
			t.Fatalf("SharedFiles() = %q, %v", cf, err)
		}
	})
}
