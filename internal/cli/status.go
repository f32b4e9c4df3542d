package cli

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/resolve"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/tty"
)

// StatusCmd shows the credentials of this shell: what the variables and
// files say, and with --verify what STS says of them.
type StatusCmd struct {
	Verify bool `help:"Also ask STS (GetCallerIdentity) for the account and ARN."`
}

func (c *StatusCmd) Run(app *App) error {
	now := clock()
	sh := session.Read(os.Getenv, now)
	cfg, cfgErr := awsconfig.Load()
	name := sh.AwsenvProfile
	if name == "" {
		name = sh.Profile
	}

	var rows [][2]string
	add := func(k, v string) { rows = append(rows, [2]string{k, v}) }
	switch {
	case name != "":
		add("profile", name)
	default:
		add("profile", "<none>")
	}
	expired := false
	if sh.AccessKeyID != "" {
		add("key", fmt.Sprintf("%s (%s)", creds.MaskKey(sh.AccessKeyID), creds.KeyKind(sh.AccessKeyID)))
		switch {
		case sh.SetByAwsenv():
			add("source", fmt.Sprintf("awsenv (%s=%s)", creds.AwsenvProfile, sh.AwsenvProfile))
		case sh.AwsenvProfile != "":
			add("source", fmt.Sprintf("awsenv exported them for %q, but %s=%s now: the variables still win", sh.AwsenvProfile, creds.Profile, sh.Profile))
		case sh.Tool != "":
			add("source", "variables set by "+sh.Tool)
		default:
			add("source", "variables set outside awsenv")
		}
	} else {
		add("key", "none in this shell")
		if sh.Profile != "" {
			add("source", fmt.Sprintf("profile from %s: tools resolve it from the shared files", creds.Profile))
		} else {
			add("source", "none: tools use the default profile")
		}
	}
	switch {
	case sh.Region != "":
		add("region", fmt.Sprintf("%s (%s)", sh.Region, sh.RegionVar))
	case cfg != nil && name != "":
		if p, ok := cfg.Profile(name); ok && p.Get("region") != "" {
			add("region", fmt.Sprintf("%s (%s)", p.Get("region"), p.Keys["region"].Where()))
		} else {
			add("region", "<not set>")
		}
	default:
		add("region", "<not set>")
	}
	switch {
	case sh.HasExpiry():
		expired = sh.Left <= 0
		add("expires", fmt.Sprintf("%s (%s)", sh.Expires.Local().Format(time.RFC3339), session.Left(sh.Expires, now)))
	case sh.ExpiresBad:
		add("expires", fmt.Sprintf("unknown: %s=%q is not a time; awsenv reads RFC 3339, such as %s", sh.ExpiresVar, sh.ExpiresRaw, now.UTC().Format(creds.TimeFormat)))
	case sh.AccessKeyID != "" && sh.HasToken:
		add("expires", "unknown: no "+creds.CredentialExpiration+" in this shell")
	case sh.AccessKeyID != "":
		add("expires", "never (long-term key)")
	}

	if cfg != nil && name != "" {
		for _, r := range ssoRows(cfg, name, now) {
			add(r[0], r[1])
		}
	}

	var verifyErr error
	if c.Verify {
		if cfg == nil {
			return fmt.Errorf("%w; fix the file, or run `awsenv doctor`", cfgErr)
		}
		profile := name
		if profile == "" {
			profile = "default"
		}
		id, err := resolve.Verify(context.Background(), cfg, profile, sh.AccessKeyID != "", app.Timeout)
		if err != nil {
			verifyErr = err
			add("verified", "no")
		} else {
			add("account", id.Account)
			add("arn", id.ARN)
		}
	}

	tw := tabwriter.NewWriter(app.Stdout, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], tty.Cell(r[1]))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if verifyErr != nil {
		return verifyErr
	}
	if expired {
		// The eval forms work with the hook and without it.
		sh, err := shell.Detect("")
		if err != nil {
			sh, _ = shell.Lookup("sh")
		}
		return fmt.Errorf("the credentials in this shell have expired: run `%s` again, or `%s`", sh.Eval("use", orDash(name)), sh.Eval("clear"))
	}
	return nil
}

// ssoRows are what status shows of the SSO login behind profile: the
// session, its start URL and region, the access token's end, whether a
// refresh token renews it, and what to do next. None for a profile that
// does not log in with IAM Identity Center.
func ssoRows(cfg *awsconfig.Config, profile string, now time.Time) [][2]string {
	p, ok := cfg.Profile(profile)
	if !ok {
		return nil
	}
	root, err := ssoRoot(cfg, p)
	if err != nil {
		return nil
	}
	sess, err := ssocache.ProfileSession(cfg, root)
	if err != nil {
		return [][2]string{{"sso", err.Error()}}
	}
	rows := [][2]string{{"sso", fmt.Sprintf("%s (start URL %s, region %s)", sess.Label(), sess.StartURL, sess.Region)}}
	store, err := ssocache.DefaultStore()
	if err != nil {
		return rows
	}
	st := store.Status(sess, now)
	login := "run `" + shell.Cmd("login", profile) + "`"
	var v string
	switch {
	case st.Err != nil:
		v = "the cached login " + st.Path + " cannot be used: " + login
	case !st.LoggedIn:
		v = "not logged in: " + login
	case st.Renewable:
		// The file knows the registration's end; IAM Identity Center may
		// end the session sooner, which no file tells.
		v = fmt.Sprintf("access token %s; refresh token held: awsenv renews it silently until the session ends (at the latest %s)",
			session.Left(st.AccessTokenExpires, now), st.SessionEnd.Local().Format(time.RFC3339))
	case st.AccessTokenExpires.After(now):
		v = fmt.Sprintf("access token %s; no refresh token: %s then", session.Left(st.AccessTokenExpires, now), login)
	default:
		v = fmt.Sprintf("the login %s and cannot be renewed: %s", session.Left(st.AccessTokenExpires, now), login)
	}
	return append(rows, [2]string{"sso login", v})
}
