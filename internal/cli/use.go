package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// UseCmd prints statements that switch the shell to a profile.
type UseCmd struct {
	Profile  string        `arg:"" help:"Profile name from ~/.aws/config or ~/.aws/credentials."`
	Shell    string        `help:"Shell to write for: ${shells}. Default: AWSENV_SHELL, else the parent process, else sh."`
	Region   string        `help:"Region to export instead of the profile's."`
	Duration time.Duration `help:"Session length, e.g. 1h or 90m. Default: the profile's duration_seconds, else 1h."`
	MFAToken string        `name:"mfa-token" help:"MFA code, instead of asking on the terminal."`
	Refresh  bool          `help:"Fetch new credentials even if cached ones are still valid."`
}

func (c *UseCmd) Run(app *App) error {
	sh, err := shell.Detect(c.Shell)
	if err != nil {
		return UsageError("%v", err)
	}
	if app.StdoutTTY {
		return refuseTerminal(sh, "use "+c.Profile)
	}
	cr, err := fetch(context.Background(), app, creds.Request{
		Profile:  c.Profile,
		Region:   c.Region,
		Duration: c.Duration,
		MFAToken: c.MFAToken,
		Refresh:  c.Refresh,
	})
	if err != nil {
		return err
	}
	changes, err := cr.Changes(os.Getenv)
	if err != nil {
		return err
	}
	return emit(app, sh, changes)
}

// fetch loads the shared files, checks the profile exists (naming close
// matches when it does not), answers from the AWS CLI's cache when it can
// and asks the backend for credentials otherwise.
func fetch(ctx context.Context, app *App, req creds.Request) (creds.Credentials, error) {
	if req.Duration < 0 {
		return creds.Credentials{}, UsageError("--duration %s is negative: give a session length such as 1h or 90m, or leave it out for the profile's duration_seconds (else 1h)", req.Duration)
	}
	cfg, err := awsconfig.Load()
	if err != nil {
		return creds.Credentials{}, fmt.Errorf("profile %q: %w; fix the file, or run `awsenv doctor`", req.Profile, err)
	}
	p, err := cfg.Lookup(req.Profile)
	if err != nil {
		return creds.Credentials{}, err
	}
	if cr, ok := cached(p, req); ok {
		return cr, nil
	}
	b, err := app.Backend()
	if err != nil {
		return creds.Credentials{}, err
	}
	req.Timeout = app.Timeout
	return b.Resolve(ctx, cfg, req)
}

// emit renders everything before writing anything: stdout is evaluated,
// so it holds the whole script or nothing.
func emit(app *App, sh shell.Shell, changes []shell.Change) error {
	out, err := shell.Render(sh, changes)
	if err != nil {
		return err
	}
	_, err = io.WriteString(app.Stdout, out)
	return err
}

// refuseTerminal explains how to run a command whose output is meant for
// eval, instead of showing secrets on the screen.
func refuseTerminal(sh shell.Shell, args string) error {
	how := fmt.Sprintf(`eval "$(awsenv %s)"`, args)
	switch sh.Name() {
	case "fish":
		how = fmt.Sprintf("awsenv %s | source", args)
	case "pwsh":
		how = fmt.Sprintf("awsenv %s --shell pwsh | Invoke-Expression", args)
	}
	return fmt.Errorf("not printing credentials to a terminal. Run\n    %s\nor install the shell hook (see `awsenv hook --help`) and run `awsenv %s` directly", how, args)
}
