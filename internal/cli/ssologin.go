package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/resolve"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/sso"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// What login, logout and sso profiles share: which SSO session a command
// line means, and a client for it.

// ssoTarget is the SSO session a command works on, and the profile whose
// endpoint settings apply (nil for a session named on the command line
// that no profile uses).
type ssoTarget struct {
	sess    ssocache.Session
	profile *awsconfig.Profile
}

// chooseSSOSession reads which session the user means: the one of
// profile (or of the SSO profile at the root of its source_profile
// chain), the session named, or, when neither is given, the only
// [sso-session] of the config file.
func chooseSSOSession(cfg *awsconfig.Config, profile, name string) (ssoTarget, error) {
	switch {
	case profile != "" && name != "":
		return ssoTarget{}, UsageError("give a profile or --sso-session, not both")
	case profile != "":
		p, err := cfg.Lookup(profile)
		if err != nil {
			return ssoTarget{}, err
		}
		root, err := ssoRoot(cfg, p)
		if err != nil {
			return ssoTarget{}, err
		}
		sess, err := ssocache.ProfileSession(cfg, root)
		if err != nil {
			return ssoTarget{}, err
		}
		return ssoTarget{sess: sess, profile: root}, nil
	}
	if name == "" {
		names := cfg.SSOSessions()
		switch len(names) {
		case 0:
			return ssoTarget{}, UsageError("%s has no [sso-session NAME] section: add one (sso_start_url, sso_region), or name an SSO profile", cfg.ConfigFile)
		case 1:
			name = names[0]
		default:
			return ssoTarget{}, UsageError("%s has %d sso-sessions (%s): name one with --sso-session NAME, or name a profile", cfg.ConfigFile, len(names), strings.Join(names, ", "))
		}
	}
	sess, err := ssocache.NamedSession(cfg, name)
	if err != nil {
		return ssoTarget{}, err
	}
	t := ssoTarget{sess: sess}
	if ps := ssocache.SessionProfiles(cfg, sess); len(ps) > 0 {
		t.profile = ps[0]
	}
	return t, nil
}

// ssoRoot is p itself when it is an SSO profile, else the SSO profile its
// source_profile chain starts from.
func ssoRoot(cfg *awsconfig.Config, p *awsconfig.Profile) (*awsconfig.Profile, error) {
	seen := map[string]bool{}
	for q := p; q != nil && !seen[q.Name]; {
		seen[q.Name] = true
		if q.Get("sso_session") != "" || q.Get("sso_start_url") != "" {
			return q, nil
		}
		src := q.Get("source_profile")
		if src == "" {
			break
		}
		q, _ = cfg.Profile(src)
	}
	return nil, fmt.Errorf("profile %q does not log in with IAM Identity Center (no sso_session or sso_start_url, in it or down its source_profile chain); name an SSO profile or --sso-session NAME", p.Name)
}

// ssoClient is a client for t with the endpoints, CA bundle and timeouts
// `awsenv use` resolves with.
func ssoClient(app *App, cfg *awsconfig.Config, t ssoTarget) (*sso.Client, error) {
	o, err := resolve.SSOOptions(cfg, t.profile, app.Timeout, os.Getenv)
	if err != nil {
		return nil, err
	}
	o.Session = t.sess
	return sso.New(o)
}

// login signs in to t's session, saying on stderr how long it lasts.
func login(ctx context.Context, app *App, cfg *awsconfig.Config, t ssoTarget, opts sso.LoginOptions) error {
	client, err := ssoClient(app, cfg, t)
	if err != nil {
		return err
	}
	opts.Out = app.Stderr
	tok, err := client.Login(ctx, opts)
	if err != nil {
		return err
	}
	now := time.Now()
	msg := fmt.Sprintf("awsenv: signed in to %s; the access token %s", t.sess.Label(), session.Left(tok.ExpiresAt, now))
	if tok.Renewable(now) {
		msg += ", and awsenv renews it silently until the session ends"
	} else {
		msg += " and cannot be renewed: log in again then"
	}
	fmt.Fprintln(app.Stderr, msg)
	return nil
}

// fetchOrLogin is fetchFrom for a command a person runs: when the SSO
// session is over and there is a terminal to ask on, it offers a login,
// then tries again. Without a terminal, and with NoPrompt (the prompt
// hook), the error that says to run `awsenv login PROFILE` is returned
// and no browser is opened.
func fetchOrLogin(ctx context.Context, app *App, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error) {
	cr, err := fetchFrom(ctx, app, cfg, req)
	var lr *sso.LoginRequiredError
	if err == nil || req.NoPrompt || !app.StderrTTY || app.Ask == nil || !errors.As(err, &lr) {
		return cr, err
	}
	fmt.Fprintf(app.Stderr, "awsenv: profile %s: %s: %s.\n", req.Profile, lr.Session.Label(), lr.Reason)
	answer, askErr := app.Ask("Log in now? [Y/n] ")
	if askErr != nil || !yes(answer) {
		// The reason was said above the question: only what to do now.
		return cr, fmt.Errorf("not logged in; run `%s` when you want to", shell.Cmd("login", req.Profile))
	}
	t := ssoTarget{sess: lr.Session}
	if p, perr := cfg.Lookup(req.Profile); perr == nil {
		t.profile, _ = ssoRoot(cfg, p)
	}
	if err := login(ctx, app, cfg, t, sso.LoginOptions{}); err != nil {
		return creds.Credentials{}, err
	}
	return fetchFrom(ctx, app, cfg, req)
}

// yes reads an answer to a [Y/n] question.
func yes(answer string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "" || a == "y" || a == "yes"
}
