package cli

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
)

// HookCmd prints the shell hook: the awsenv function that lets use, clear
// and refresh change the shell, and the prompt hook.
type HookCmd struct {
	Shell       string `arg:"" optional:"" help:"bash, zsh, fish or pwsh. Default: AWSENV_SHELL, else the parent process."`
	AutoRefresh bool   `name:"auto-refresh" help:"Renew AWSENV_PROFILE's credentials before they expire, as AWSENV_AUTO_REFRESH=1 does (the variable, when set, still decides)."`
}

func (c *HookCmd) Run(app *App) error {
	sh, err := shell.Detect(c.Shell)
	if err != nil {
		return UsageError("%v", err)
	}
	path, onPath := executable()
	script, err := shell.Hook(sh.Name(), shell.HookOptions{Path: path, OnPath: onPath, AutoRefresh: c.AutoRefresh, Rules: session.HookRules()})
	if err != nil {
		return UsageError("%v", err)
	}
	_, err = io.WriteString(app.Stdout, script)
	return err
}

// executable returns this program's path and whether `awsenv` on PATH is
// the same file, in which case the hook runs `command awsenv` and keeps
// working when an upgrade moves the file.
func executable() (path string, onPath bool) {
	self, err := selfPath()
	if err != nil {
		return "", true
	}
	found, err := exec.LookPath("awsenv")
	if err != nil {
		return self, false
	}
	a, err1 := os.Stat(self)
	b, err2 := os.Stat(found)
	return self, err1 == nil && err2 == nil && os.SameFile(a, b)
}

// selfPath is this executable's path, symlinks resolved: where a package
// manager really put it.
func selfPath() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	return self, nil
}
