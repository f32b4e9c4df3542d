package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/testenv"
)

// mountTmpfs mounts a small tmpfs on dir for the test: a disk that can be
// filled, or made read-only, without touching the machine's. It needs
// root, as CI has.
func mountTmpfs(t *testing.T, dir, options string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir).CombinedOutput(); err != nil {
		testenv.Require(t, "a tmpfs mount", "mount failed (not root?): "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
}

// fill writes into dir until the disk is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 1024)
	for {
		if _, err := f.Write(block); err != nil {
			return
		}
	}
}

// A cache that cannot be written costs a warning, never the credentials,
// and leaves no half-written file behind.
func TestCacheCannotBeWritten(t *testing.T) {
	moto := testenv.StartMoto(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, cacheDir string)
	}{
		{"full disk", func(t *testing.T, cacheDir string) {
			mountTmpfs(t, cacheDir, "size=16k,mode=0700")
			fill(t, cacheDir)
		}},
		{"read-only folder", func(t *testing.T, cacheDir string) {
			mountTmpfs(t, cacheDir, "size=16k,mode=0700,ro")
		}},
		{"cache path is a file", func(t *testing.T, cacheDir string) {
			testenv.WriteFile(t, cacheDir, "not a folder", 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, baseConfig, baseCredentials, moto.URL())
			cacheDir := filepath.Join(f.home, ".aws", "cli", "cache")
			tc.setup(t, cacheDir)
			before, _ := os.ReadDir(cacheDir)

			out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "use", "project1")
			if code != 0 || !strings.Contains(out, "export AWS_SESSION_TOKEN=") {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
			}
			if !strings.Contains(stderr, "cache") || strings.Contains(stderr, secretKey) {
				t.Errorf("stderr should warn about the cache, without secrets:\n%s", stderr)
			}
			after, _ := os.ReadDir(cacheDir)
			if len(after) != len(before) {
				t.Errorf("cache folder had %d entries, now %d: %v", len(before), len(after), after)
			}
		})
	}
}
