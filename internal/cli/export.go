package cli

import (
	"context"
	"io"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// ExportCmd prints credentials for files and other tools.
type ExportCmd struct {
	Profile  string        `arg:"" help:"Profile name."`
	Format   string        `help:"env, dotenv, json or process (credential_process, Version 1)." enum:"env,dotenv,json,process" default:"env"`
	Region   string        `help:"Region to include instead of the profile's."`
	Duration time.Duration `help:"Session length, e.g. 1h."`
	MFAToken string        `name:"mfa-token" help:"MFA code, instead of asking on the terminal."`
	Refresh  bool          `help:"Fetch new credentials even if cached ones are still valid."`
}

func (c *ExportCmd) Run(app *App) error {
	if app.StdoutTTY {
		return UsageError("not printing credentials to a terminal: redirect the output, e.g. `%s > file`, or use `credential_process = %s`", shell.Cmd("export", c.Profile, "--format", c.Format), shell.Cmd("export", "--format", "process", c.Profile))
	}
	cr, err := fetch(context.Background(), app, creds.Request{Profile: c.Profile, Region: c.Region, Duration: c.Duration, MFAToken: c.MFAToken, Refresh: c.Refresh})
	if err != nil {
		return err
	}
	out, err := cr.Format(c.Format)
	if err != nil {
		return err
	}
	_, err = io.WriteString(app.Stdout, out)
	return err
}
