package cli

import (
	"errors"
	"os"
	"os/exec"

	"github.com/awsenv/awsenv/internal/shell"
)

// Delegate runs the companion as a child (Windows has no exec) and exits
// with its status. The child's parent is awsenv.exe, not the shell, so the
// shell detected here is passed on.
func Delegate() error {
	path, err := companionPath()
	if err != nil {
		return err
	}
	cmd := exec.Command(path, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if os.Getenv("AWSENV_SHELL") == "" {
		if sh, err := shell.Detect(""); err == nil {
			cmd.Env = append(cmd.Env, "AWSENV_SHELL="+sh.Name())
		}
	}
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return err
	}
	os.Exit(0)
	return nil
}
