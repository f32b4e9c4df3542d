package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// LogoutCmd ends an SSO session: at IAM Identity Center (best effort), and
// on this machine, where it removes the cached token and client
// registration and the role credentials cached from them.
type LogoutCmd struct {
	Profile    string `arg:"" optional:"" help:"An SSO profile, or a role on top of one: its session is signed out of. Default: the only [sso-session] of the config file."`
	SSOSession string `name:"sso-session" placeholder:"NAME" help:"The [sso-session NAME] to sign out of."`
}

func (c *LogoutCmd) Run(app *App) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		return fmt.Errorf("%w; fix the file, or run `awsenv doctor`", err)
	}
	t, err := chooseSSOSession(cfg, c.Profile, c.SSOSession)
	if err != nil {
		return err
	}
	client, err := ssoClient(app, cfg, t)
	if err != nil {
		return err
	}
	removed, err := client.Logout(context.Background())
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	// The role credentials of the session's profiles, in the AWS CLI's
	// cache, under the CLI's key: the CLI v2 removes the same on logout.
	if store, err := cache.CLIStore(); err == nil {
		for _, key := range ssocache.RoleCacheKeys(cfg, t.sess) {
			path := store.Path(key)
			if _, err := os.Lstat(path); err != nil {
				continue
			}
			if err := store.Delete(key); err != nil {
				errs = append(errs, fmt.Errorf("removing %s: %w", path, err))
				continue
			}
			removed = append(removed, path)
		}
	}
	switch {
	case len(removed) == 0 && len(errs) == 0:
		fmt.Fprintf(app.Stderr, "awsenv: %s: not signed in on this machine; nothing to remove\n", t.sess.Label())
	case len(removed) > 0:
		fmt.Fprintf(app.Stderr, "awsenv: signed out of %s; removed:\n", t.sess.Label())
		for _, p := range removed {
			fmt.Fprintf(app.Stderr, "  %s\n", p)
		}
	}
	return errors.Join(errs...)
}
