//go:build unix

package awsconfig

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO with no writer would block an open without O_NONBLOCK for ever;
// if this test hangs, that is the bug.
func TestReadRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "config")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	_, err := LoadFiles(fifo, filepath.Join(dir, "none"))
	if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), fifo) {
		t.Fatalf("got %v, want an error naming the FIFO", err)
	}
}
