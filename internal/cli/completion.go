package cli

import (
	"io"

	"github.com/awsenv/awsenv/internal/completion"
)

// The scripts in completions/ are this command's output; a test fails when
// they differ from it.
//go:generate go test -run TestCompletionScripts -update .

// CompletionCmd prints a completion script generated from the grammar.
type CompletionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish,pwsh" help:"bash, zsh, fish or pwsh."`
}

func (c *CompletionCmd) Run(app *App) error {
	// The scripts cover every command, so they come from the whole grammar
	// whatever Main parsed this command line with.
	k, err := newParser(&CLI{}, app, false)
	if err != nil {
		return err
	}
	script, err := completion.Script(c.Shell, completion.FromKong(k.Model.Node))
	if err != nil {
		return err
	}
	_, err = io.WriteString(app.Stdout, script)
	return err
}
