package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/resolve"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/tty"
)

// UseCmd prints statements that switch the shell to a profile.
type UseCmd struct {
	Profile  string        `arg:"" optional:"" help:"Profile name from ~/.aws/config or ~/.aws/credentials. Without one, at a terminal, pick it: type to filter by name, account, role or SSO account."`
	Shell    string        `help:"Shell to write for: ${shells}. Default: AWSENV_SHELL, else the parent process, else sh."`
	Region   string        `help:"Region to export instead of the profile's."`
	Duration time.Duration `help:"Session length, e.g. 1h or 90m. Default: the profile's duration_seconds, else 1h."`
	MFAToken string        `name:"mfa-token" help:"MFA code, instead of asking on the terminal."`
	Refresh  bool          `help:"Fetch new credentials even if cached ones are still valid."`
	Quiet
}

func (c *UseCmd) Run(app *App) error {
	sh, err := shell.Detect(c.Shell)
	if err != nil {
		return UsageError("%v", err)
	}
	if c.Profile == "" {
		if app.StdoutTTY {
			return refuseTerminal(sh, "use")
		}
		if c.Profile, err = pickProfile(app); err != nil {
			return err
		}
	}
	// The profile first: a typo gets "did you mean" before anything else.
	cfg, err := loadProfile(c.Profile)
	if err != nil {
		return err
	}
	if app.StdoutTTY {
		return refuseTerminal(sh, "use", c.Profile)
	}
	// The name becomes AWSENV_PROFILE, which the hooks put in the prompt
	// as it is: a control character there would act on the terminal.
	if tty.Printable(c.Profile) != c.Profile {
		return fmt.Errorf("profile %q: the name holds control characters or bytes that are not UTF-8, which awsenv does not put into the shell's prompt; rename the profile", c.Profile)
	}
	cr, err := fetchOrLogin(context.Background(), app, cfg, creds.Request{
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
	if err := emit(app, sh, changes); err != nil {
		return err
	}
	warnPasted(app, cfg, c.Profile)
	sayWhatHappened(app, c.Quiet, "", cr)
	return nil
}

// fetch loads the shared files and resolves req's profile, offering a
// login at a terminal when its SSO session is over (fetchOrLogin).
func fetch(ctx context.Context, app *App, req creds.Request) (creds.Credentials, error) {
	cfg, err := loadProfile(req.Profile)
	if err != nil {
		return creds.Credentials{}, err
	}
	return fetchOrLogin(ctx, app, cfg, req)
}

// loadProfile loads the shared files and checks that profile is in them,
// naming close matches when it is not.
func loadProfile(profile string) (*awsconfig.Config, error) {
	cfg, err := awsconfig.Load()
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w; fix the file, or run `awsenv doctor`", profile, err)
	}
	if _, err := cfg.Lookup(profile); err != nil {
		return nil, err
	}
	return cfg, nil
}

// fetchFrom resolves req from the loaded files.
func fetchFrom(ctx context.Context, app *App, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error) {
	if req.Duration < 0 {
		return creds.Credentials{}, UsageError("--duration %s is negative: give a session length such as 1h or 90m, or leave it out for the profile's duration_seconds (else 1h)", req.Duration)
	}
	req.Timeout = app.Timeout
	if req.Started.IsZero() {
		req.Started = started
	}
	return resolve.Resolve(ctx, cfg, req)
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
// eval, instead of showing secrets on the screen (or, for clear, printing
// statements that change nothing).
func refuseTerminal(sh shell.Shell, args ...string) error {
	msg := fmt.Sprintf("`awsenv %s` prints statements for the shell to run; printed here they would change nothing", strings.Join(args, " "))
	if args[0] == "use" || args[0] == "refresh" {
		msg += " and show your secret key"
	}
	msg += ". Run\n    " + sh.Eval(args...)
	if line, file := sh.Setup(); line != "" {
		msg += fmt.Sprintf("\nor install the hook, which makes `awsenv %s` change this shell directly: add this line to %s and open a new shell\n    %s", args[0], file, line)
	}
	return errors.New(msg)
}

// warnPasted warns when the credentials come from a session pasted into a
// file: they worked now and stop without warning when the session ends.
func warnPasted(app *App, cfg *awsconfig.Config, profile string) {
	hops, err := cfg.Chain(profile)
	if err != nil || len(hops) == 0 {
		return
	}
	root := hops[len(hops)-1].Profile
	v, ok := awsconfig.PastedSession(root)
	if !ok {
		return
	}
	fmt.Fprintf(app.Stderr, "awsenv: warning: profile %q takes a temporary session pasted into %s: it stops working when the session ends; replace it with long-term keys and role_arn + source_profile (`%s` shows the lines to write)\n",
		root.Name, v.Where(), shell.Cmd("doctor", "--profile", profile))
}
