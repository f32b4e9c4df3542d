package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
)

// RefreshCmd fetches new credentials for the profile this shell uses.
type RefreshCmd struct {
	Shell    string        `help:"Shell to write for: ${shells}."`
	NoPrompt bool          `name:"no-prompt" help:"Fail instead of asking for an MFA code; the prompt hook passes it, as it must never wait for input."`
	Deadline time.Duration `help:"Give up on the whole refresh after this long; 0 means only --timeout per network call. The prompt hook passes AWSENV_REFRESH_TIMEOUT, default 5s."`
	Quiet
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
	// As direnv does: a wait of more than a second at a prompt is
	// explained, with the way out.
	slow := time.AfterFunc(time.Second, func() {
		if app.StderrTTY {
			fmt.Fprintf(app.Stderr, "awsenv: refreshing profile %s… (Ctrl-C gives up)\n", profile)
		}
	})
	cr, err := fetch(ctx, app, creds.Request{
		Profile:  profile,
		Region:   os.Getenv(creds.Region), // the region in the shell stays
		Refresh:  !expiresWithin(os.Getenv(creds.CredentialExpiration), cache.RefreshMargin),
		NoPrompt: c.NoPrompt,
	})
	slow.Stop()
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
	sayWhatHappened(app, c.Quiet, "refreshed ", cr)
	return nil
}

// expiresWithin reports whether the time stamp is less than d away (or
// past). An unreadable or empty one is not.
func expiresWithin(stamp string, d time.Duration) bool {
	t, ok := session.ParseExpiry(stamp)
	return ok && session.SecondsLeft(t, time.Now()) < int64(d/time.Second)
}
