package cli

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// execCommand runs the command as a child and exits with its status:
// Windows has no exec.
func execCommand(path string, argv, env []string) error {
	status, err := runChild(path, argv, env)
	if err != nil {
		return &exitError{code: statusCannotRun, err: err}
	}
	if status != 0 {
		return exitStatus(status)
	}
	return nil
}

// runChild runs the command and returns its exit status. Ctrl-C and
// Ctrl-Break reach every process of the console, the command included, so
// awsenv only has to survive them until the command has exited (os/signal:
// with os.Interrupt notified, they no longer end the program). Closing the
// console (SIGTERM in Go's terms) gives every process a few seconds: awsenv
// waits through them for the command's status.
func runChild(path string, argv, env []string) (int, error) {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Run(); err != nil {
		if cmd.ProcessState == nil {
			return 0, fmt.Errorf("running %s: %w", argv[0], err)
		}
	}
	return cmd.ProcessState.ExitCode(), nil
}
