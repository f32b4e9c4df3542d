//go:build !unix

package testenv

import (
	"os"
	"os/exec"
)

// The end-to-end tests need Unix shells and skip elsewhere; these keep the
// package building (and vetted) on Windows.

func ownProcessGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }

// NoTerminal is a no-op where there is no Unix session to leave.
func NoTerminal(*exec.Cmd) {}

func killPID(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
