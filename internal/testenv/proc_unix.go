//go:build unix

package testenv

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts cmd in a process group of its own, so that
// killGroup also ends what it started (a pyenv shim's python, a script's
// background job).
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills cmd's process group.
func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// NoTerminal starts cmd in a session of its own, without a controlling
// terminal: /dev/tty cannot be opened there, as in cron or CI.
func NoTerminal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

func killPID(pid int) { syscall.Kill(pid, syscall.SIGKILL) }
