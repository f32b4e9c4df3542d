package cli

import (
	"os"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// ClearCmd prints statements that unset credential variables.
type ClearCmd struct {
	All   bool   `help:"Also unset AWS_PROFILE, AWS_REGION and what aws-vault, awsume and granted leave behind."`
	Shell string `help:"Shell to write for: ${shells}."`
}

func (c *ClearCmd) Run(app *App) error {
	sh, err := shell.Detect(c.Shell)
	if err != nil {
		return UsageError("%v", err)
	}
	if app.StdoutTTY {
		args := []string{"clear"}
		if c.All {
			args = append(args, "--all")
		}
		return refuseTerminal(sh, args...)
	}
	changes := creds.ClearChanges(c.All)
	if !c.All {
		changes = append(creds.RestoreChanges(os.Getenv), changes...)
	}
	return emit(app, sh, changes)
}
