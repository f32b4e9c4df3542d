//go:build !windows

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// execCommand replaces awsenv with the command.
func execCommand(path string, argv, env []string) error {
	err := syscall.Exec(path, argv, env)
	return &exitError{code: statusCannotRun, err: fmt.Errorf("running %s: %w", argv[0], err)}
}

// forwardedSignals are passed on to the command. SIGTSTP, SIGCONT and
// SIGWINCH are not: the terminal and the shell send them to the whole
// process group, the command included.
var forwardedSignals = []os.Signal{
	syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
	syscall.SIGUSR1, syscall.SIGUSR2,
}

// runChild runs the command in awsenv's process group, passes signals on
// and returns its exit status, 128+N if signal N killed it, as shells do.
func runChild(path string, argv, env []string) (int, error) {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	tty := openTerminal()
	if tty != nil {
		defer tty.Close()
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("running %s: %w", argv[0], err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if !sentByTerminal(tty, s) {
					cmd.Process.Signal(s)
				}
			case <-done:
				return
			}
		}
	}()
	cmd.Wait()
	close(done)
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return cmd.ProcessState.ExitCode(), nil
}

func openTerminal() *os.File {
	f, err := os.Open("/dev/tty")
	if err != nil {
		return nil
	}
	return f
}

// sentByTerminal reports whether s may have come from the terminal's
// Ctrl-C or Ctrl-\ : the terminal sends those to its whole foreground
// process group, so when awsenv (and with it the command, which shares its
// group) is in the foreground, the command has its own copy, and a second
// one would make programs like terraform abandon a graceful stop. The
// price: `kill -INT` aimed at awsenv alone, while it runs in the
// foreground of a terminal, does not reach the command.
func sentByTerminal(tty *os.File, s os.Signal) bool {
	if tty == nil || (s != syscall.SIGINT && s != syscall.SIGQUIT) {
		return false
	}
	fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && fg == syscall.Getpgrp()
}
