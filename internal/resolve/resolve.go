// Package resolve turns a profile into credentials. It reads the profile
// and its source_profile chain from awsconfig alone, the one reading of
// the shared files, and walks the chain itself, so that every AssumeRole
// call reaches the configured STS endpoint, runs with the duration the
// user asked for, shares the AWS CLI's cache, reads MFA codes from the
// terminal and gives up within a timeout. SSO profiles go through
// internal/sso, which renews the login silently. The AWS SDK is used for
// the wire (one STS client) and for the other leaf providers
// (credential_process, web identity, instance and container credentials), each handed explicit
// parameters: the SDK never reads the shared files with a reading of its
// own.
package resolve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// DefaultTimeout bounds each network call when the request names none.
const DefaultTimeout = 10 * time.Second

// Resolver fetches credentials for one request.
type Resolver struct {
	cfg     *awsconfig.Config
	req     creds.Request
	profile *awsconfig.Profile // the one requested
	hops    []awsconfig.Hop    // its chain, from it to where the credentials come from
	target  awsconfig.Target   // where STS calls go
	getenv  func(string) string
	env     environment // what the shell had, before it was cleaned
	clients *clients
}

// Resolve returns credentials for req.Profile from the profile alone:
// credentials already exported in the environment are never the source,
// unless the profile says credential_source = Environment.
func Resolve(ctx context.Context, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error) {
	r, err := newResolver(cfg, req, os.Getenv)
	if err != nil {
		return creds.Credentials{}, err
	}
	return r.Resolve(ctx)
}

// newResolver returns a Resolver for req. getenv reads the variables that choose
// endpoints, region and CA bundle: os.Getenv, but in tests.
func newResolver(cfg *awsconfig.Config, req creds.Request, getenv func(string) string) (*Resolver, error) {
	p, err := cfg.Lookup(req.Profile)
	if err != nil {
		return nil, err
	}
	if err := checkProcessChain(p.Name); err != nil {
		return nil, err
	}
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	if req.Started.IsZero() {
		req.Started = time.Now()
	}
	hops, err := cfg.Chain(req.Profile)
	var ce *awsconfig.ChainError
	if errors.As(err, &ce) && ce.Profile != req.Profile {
		// Name the profile asked for first: the one the person typed.
		return nil, fmt.Errorf("profile %q: %w", req.Profile, err)
	}
	if err != nil {
		return nil, err
	}
	r := &Resolver{cfg: cfg, req: req, profile: p, hops: hops, getenv: getenv, target: cfg.STS(p, req.Region, getenv)}
	r.clients = &clients{r: r}
	return r, nil
}

// Resolve resolves the request.
func (r *Resolver) Resolve(ctx context.Context) (creds.Credentials, error) {
	var restore func()
	r.env, restore = cleanEnv()
	defer restore()
	c, err := r.credentials(ctx, 0)
	if err != nil {
		return creds.Credentials{}, err
	}
	out := creds.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          cmp.Or(r.req.Region, r.profile.Get("region")),
		Profile:         r.req.Profile,
		Account:         cmp.Or(c.AccountID, awsconfig.ARNAccount(r.profile.Get("role_arn")), r.profile.Get("sso_account_id")),
		Role:            cmp.Or(awsconfig.RoleName(r.profile.Get("role_arn")), r.profile.Get("sso_role_name")),
	}
	if c.CanExpire {
		out.Expires = c.Expires.UTC()
	}
	return out, nil
}

// noCredentials is the error of a profile with nothing to resolve; a
// source profile like that is a ChainError already.
func (r *Resolver) noCredentials(p *awsconfig.Profile) error {
	where := "in " + r.cfg.ConfigFile + " or " + r.cfg.CredentialsFile
	if len(p.Sections) > 0 {
		where = "at " + p.Sections[0].File + ":" + fmt.Sprint(p.Sections[0].Line)
	}
	return fmt.Errorf("profile %q (%s) has no credentials: no keys, role, SSO or credential_process; run `%s`", p.Name, where, shell.Cmd("doctor", "--profile", p.Name))
}

func staticKeys(p *awsconfig.Profile) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     p.Get("aws_access_key_id"),
		SecretAccessKey: p.Get("aws_secret_access_key"),
		SessionToken:    p.Get("aws_session_token"),
		Source:          "profile " + p.Name,
	}
}
