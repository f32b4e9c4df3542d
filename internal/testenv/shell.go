package testenv

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Shell returns the path of the shell name ("bash", "zsh" or "fish").
func Shell(t testing.TB, name string) string {
	t.Helper()
	return LookPath(t, name)
}

// shellKind returns the base name of shell, which may be a name or a path,
// and fails the test unless it is a shell this package knows how to drive.
func shellKind(t testing.TB, shell string) string {
	t.Helper()
	kind := filepath.Base(shell)
	switch kind {
	case "bash", "zsh", "fish":
		return kind
	}
	t.Fatalf("unsupported shell %q: want bash, zsh or fish", shell)
	return ""
}

// RunShell runs script non-interactively in shell (a name or a path), without
// reading any startup file, with exactly the environment env. It fails the
// test if the script runs for more than 60 seconds.
func RunShell(t testing.TB, shell, script string, env []string) (stdout, stderr string, exitCode int) {
	t.Helper()
	var args []string
	switch shellKind(t, shell) {
	case "bash":
		args = []string{"--norc", "--noprofile", "-c", script}
	case "zsh":
		args = []string{"-f", "-c", script}
	case "fish":
		args = []string{"--no-config", "-c", script}
	}
	path := Shell(t, shell)

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	// A nil Env would mean the parent's environment.
	cmd.Env = append([]string{}, env...)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &errBuf
	// Kill the whole process group on timeout, and stop waiting for output
	// soon after, so a background job left by the script cannot hang the test.
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second

	err := cmd.Run()
	stdout, stderr = outBuf.String(), errBuf.String()
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s script timed out or was canceled: %v\nstdout:\n%s\nstderr:\n%s", shell, ctx.Err(), stdout, stderr)
	case errors.As(err, &exitErr):
		return stdout, stderr, exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", shell, err)
	}
	return stdout, stderr, 0
}
