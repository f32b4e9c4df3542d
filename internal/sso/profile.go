package sso

import (
	"context"
	"fmt"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// ProfileCredentials gets the role credentials of SSO profile p
// (sso_account_id and sso_role_name, with its sso-session or legacy
// sso_start_url), renewing the login silently when it must. o.Session is
// set from the profile; the rest of o is used as given. A login that is
// over is a *LoginRequiredError naming the profile.
func ProfileCredentials(ctx context.Context, c *awsconfig.Config, p *awsconfig.Profile, o Options) (cache.Credentials, error) {
	sess, err := ssocache.ProfileSession(c, p)
	if err != nil {
		return cache.Credentials{}, err
	}
	account, role := p.Get("sso_account_id"), p.Get("sso_role_name")
	if account == "" || role == "" {
		return cache.Credentials{}, fmt.Errorf("profile %q: an SSO profile needs sso_account_id and sso_role_name", p.Name)
	}
	o.Session = sess
	client, err := New(o)
	if err != nil {
		return cache.Credentials{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	creds, err := client.RoleCredentials(ctx, account, role)
	if err != nil {
		if lr := ForProfile(err, p.Name); lr != err {
			return cache.Credentials{}, lr
		}
		return cache.Credentials{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	return creds, nil
}
