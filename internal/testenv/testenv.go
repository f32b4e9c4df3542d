// Package testenv is an end-to-end test harness: it runs real programs
// (moto_server, bash, zsh, fish, tmux, the awsenv binaries) instead of mocks.
//
// A missing tool skips the test, except under CI=true where it fails it,
// so that a CI image that lost a tool cannot turn the suite silently green.
// The package is for Unix only.
package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Require skips the test because what is missing, or fails it if the
// environment variable CI is "true".
func Require(t testing.TB, what, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found: %s (CI=true: not skipping)", what, reason)
	}
	t.Skipf("%s not found: %s", what, reason)
}

// LookPath returns the path of the executable name, skipping or failing the
// test as Require does when it is missing.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Require(t, name, err.Error())
	}
	return path
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// CleanEnv returns a minimal environment for a child process, so that the
// developer's own AWS_* and AWSENV_* variables cannot leak into a test.
func CleanEnv(home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"LANG=C.UTF-8",
		"TERM=xterm-256color",
	}
}

// WriteFile writes content to path, creating the parent directories.
func WriteFile(t testing.TB, path, content string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

var build struct {
	once sync.Once
	dir  string
	err  error
}

// BuildBinaries builds the module's commands (./cmd/...) and returns the
// directory holding them. They are built once per test binary; the directory
// is shared by all tests of the process and is left in os.TempDir, since
// no single test outlives the others to remove it.
func BuildBinaries(t testing.TB) string {
	t.Helper()
	goTool := LookPath(t, "go")
	build.once.Do(func() {
		build.dir, build.err = buildCommands(goTool)
	})
	if build.err != nil {
		t.Fatalf("building ./cmd/...: %v", build.err)
	}
	return build.dir
}

func buildCommands(goTool string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "awsenv-testenv-bin-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(goTool, "build", "-o", dir, "./cmd/...")
	cmd.Dir = root
	// Static binaries behave the same in every shell and container.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v\n%s", err, bytes.TrimSpace(out))
	}
	return dir, nil
}

// moduleRoot walks up from the working directory, which go test sets to the
// package directory, to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
