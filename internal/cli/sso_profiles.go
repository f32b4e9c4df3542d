package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/sso"
)

// SSOCmd groups the IAM Identity Center commands that are not login and
// logout.
type SSOCmd struct {
	Profiles SSOProfilesCmd `cmd:"" help:"Print (or with --write, merge into the config file) a profile for every account and role the SSO login reaches."`
}

// SSOProfilesCmd writes a profile for every account role of a session
// (the portal's ListAccounts and ListAccountRoles) into a block of the
// config file that it owns and replaces on the next run.
type SSOProfilesCmd struct {
	SSOSession string `name:"sso-session" placeholder:"NAME" help:"The [sso-session NAME] whose accounts to list. Default: the only one in the config file."`
	Template   string `placeholder:"T" help:"Profile names: {account} (the account's name), {account_id}, {role}, {session}. Default: {account}-{role}."`
	Region     string `help:"Region of each profile. Default: the session's sso_region."`
	Write      bool   `help:"Merge the profiles into the config file, keeping every other line and a backup, instead of printing them."`
}

func (c *SSOProfilesCmd) Run(app *App) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		return fmt.Errorf("%w; fix the file, or run `awsenv doctor`", err)
	}
	t, err := chooseSSOSession(cfg, "", c.SSOSession)
	if err != nil {
		return err
	}
	opts := sso.ProfileOptions{Template: c.Template, Region: c.Region}
	ctx := context.Background()
	ps, block, err := c.plan(ctx, app, cfg, t, opts)
	var lr *sso.LoginRequiredError
	if errors.As(err, &lr) && app.StderrTTY && app.Ask != nil {
		fmt.Fprintf(app.Stderr, "awsenv: %s: %s.\n", lr.Session.Label(), lr.Reason)
		if answer, askErr := app.Ask("Log in now? [Y/n] "); askErr == nil && yes(answer) {
			if err := login(ctx, app, cfg, t, sso.LoginOptions{}); err != nil {
				return err
			}
			ps, block, err = c.plan(ctx, app, cfg, t, opts)
		}
	}
	if err != nil {
		return err
	}
	if !c.Write {
		// With the markers --write puts around it, so that a block
		// pasted by hand is the one the next --write replaces.
		begin, end := awsconfig.BlockMarkers(sso.BlockID(t.sess))
		_, err := io.WriteString(app.Stdout, begin+"\n"+block+end+"\n")
		return err
	}
	backup, changed, err := sso.WriteProfiles(cfg.ConfigFile, t.sess, block, time.Now())
	if err != nil {
		return err
	}
	if !changed {
		fmt.Fprintf(app.Stderr, "awsenv: the %d profiles of %s in %s are up to date; nothing written\n", len(ps), t.sess.Label(), cfg.ConfigFile)
		return nil
	}
	msg := fmt.Sprintf("awsenv: wrote %d profiles of %s to %s", len(ps), t.sess.Label(), cfg.ConfigFile)
	if backup != "" {
		msg += "; the file as it was is kept as " + backup
	}
	fmt.Fprintln(app.Stderr, msg)
	for _, p := range ps {
		fmt.Fprintf(app.Stderr, "  %s: account %s (%s), role %s\n", p.Name, p.AccountID, p.AccountName, p.Role)
	}
	return nil
}

func (c *SSOProfilesCmd) plan(ctx context.Context, app *App, cfg *awsconfig.Config, t ssoTarget, opts sso.ProfileOptions) ([]sso.GeneratedProfile, string, error) {
	client, err := ssoClient(app, cfg, t)
	if err != nil {
		return nil, "", err
	}
	return client.Profiles(ctx, cfg.ConfigFile, opts)
}
