package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/shellhook"
)

// RefreshCmd fetches new credentials for the profile this shell uses.
type RefreshCmd struct {
	Shell    string        `help:"Shell to write for: ${shells}."`
	NoPrompt bool          `name:"no-prompt" help:"Fail instead of asking for an MFA code; the prompt hook passes it, as it must never wait for input."`
	Deadline time.Duration `help:"Give up on the whole refresh after this long; 0 means only --timeout per network call. The prompt hook passes AWSENV_REFRESH_TIMEOUT, default 5s."`
}

func (c *RefreshCmd) Run(app *App) error {
	sh, err := shell.Detect(c.Shell)
	if err != nil {
		return UsageError("%v", err)
	}
	profile := os.Getenv(creds.AwsenvProfile)
	if profile == "" {
		return fmt.Errorf("nothing to refresh: AWSENV_PROFILE is not set in this shell; run `awsenv use PROFILE`")
	}
	if app.StdoutTTY {
		return refuseTerminal(sh, "refresh")
	}
	ctx := context.Background()
	if c.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Deadline)
		defer cancel()
		// Every call below honours ctx; this is the backstop that keeps
		// the promise to the prompt if one does not. Nothing has been
		// written to stdout before the end, so there is nothing to undo.
		grace := time.AfterFunc(c.Deadline+time.Second, func() {
			fmt.Fprintf(app.Stderr, "awsenv: refreshing profile %q took longer than %s; the credentials in this shell are unchanged\n", profile, c.Deadline)
			os.Exit(1)
		})
		defer grace.Stop()
	}
	// A shell inside the cache's margin cannot be handed its own
	// credentials back, but it can take those another shell fetched a
	// moment ago: sixteen panes refreshing together make one STS call.
	// With more time left, the point of refreshing is to skip the cache.
	cr, err := fetch(ctx, app, creds.Request{
		Profile:  profile,
		Region:   os.Getenv(creds.Region), // the region in the shell stays
		Refresh:  !expiresWithin(os.Getenv(creds.CredentialExpiration), cache.RefreshMargin),
		NoPrompt: c.NoPrompt,
	})
	if err != nil {
		return fmt.Errorf("%w; the credentials in this shell are unchanged", err)
	}
	changes, err := cr.Changes(os.Getenv)
	if err != nil {
		return fmt.Errorf("%w; the credentials in this shell are unchanged", err)
	}
	if err := emit(app, sh, changes); err != nil {
		return err
	}
	left := "do not expire"
	if !cr.Expires.IsZero() {
		left = "expire in " + shellhook.FormatLeft(int64(time.Until(cr.Expires)/time.Second))
	}
	fmt.Fprintf(app.Stderr, "awsenv: refreshed profile %s: the new credentials %s\n", profile, left)
	return nil
}

// expiresWithin reports whether the RFC 3339 time stamp is less than d
// away (or past). An unreadable or empty one is not.
func expiresWithin(stamp string, d time.Duration) bool {
	t, err := time.Parse(time.RFC3339, stamp)
	return err == nil && time.Until(t) < d
}
