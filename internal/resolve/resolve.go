// Package resolve turns a profile into credentials. It reads the profile
// and its source_profile chain from awsconfig alone, the one reading of
// the shared files, and walks the chain itself, so that every AssumeRole
// call reaches the configured STS endpoint, runs with the duration the
// user asked for, shares the AWS CLI's cache, reads MFA codes from the
// terminal and gives up within a timeout. The AWS SDK is used for the wire
// (one STS client) and for the leaf providers (SSO, credential_process,
// web identity, instance and container credentials), each handed explicit
// parameters: the SDK never reads the shared files with a reading of its
// own.
package resolve

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
)

// DefaultTimeout bounds each network call when the request names none.
const DefaultTimeout = 10 * time.Second

// Resolver fetches credentials for one request.
type Resolver struct {
	cfg     *awsconfig.Config
	req     creds.Request
	profile *awsconfig.Profile // the one requested
	target  awsconfig.Target   // where STS calls go
	getenv  func(string) string
	env     environment // what the shell had, before it was cleaned
	clients *clients
}

// Resolve returns credentials for req.Profile from the profile alone:
// credentials already exported in the environment are never the source,
// unless the profile says credential_source = Environment.
func Resolve(ctx context.Context, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error) {
	r, err := New(cfg, req, os.Getenv)
	if err != nil {
		return creds.Credentials{}, err
	}
	return r.Resolve(ctx)
}

// New returns a Resolver for req. getenv reads the variables that choose
// endpoints, region and CA bundle: os.Getenv, but in tests.
func New(cfg *awsconfig.Config, req creds.Request, getenv func(string) string) (*Resolver, error) {
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
	r := &Resolver{cfg: cfg, req: req, profile: p, getenv: getenv, target: cfg.STS(p, req.Region, getenv)}
	r.clients = &clients{r: r}
	return r, nil
}

// Target is where the resolver sends STS calls.
func (r *Resolver) Target() awsconfig.Target { return r.target }

// Resolve resolves the request.
func (r *Resolver) Resolve(ctx context.Context) (creds.Credentials, error) {
	var restore func()
	r.env, restore = cleanEnv()
	defer restore()
	c, err := r.credentials(ctx, r.profile, nil)
	if err != nil {
		return creds.Credentials{}, err
	}
	out := creds.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          firstOf(r.req.Region, r.profile.Get("region")),
		Profile:         r.req.Profile,
		Account:         firstOf(c.AccountID, accountOf(r.profile.Get("role_arn")), r.profile.Get("sso_account_id")),
		Role:            firstOf(roleName(r.profile.Get("role_arn")), r.profile.Get("sso_role_name")),
	}
	if c.CanExpire {
		out.Expires = c.Expires.UTC()
	}
	return out, nil
}

// credentials resolves profile p, the request's or a source profile down
// its chain; seen holds the profiles above it.
func (r *Resolver) credentials(ctx context.Context, p *awsconfig.Profile, seen []string) (aws.Credentials, error) {
	for _, s := range seen {
		if s == p.Name {
			return aws.Credentials{}, fmt.Errorf("profile %q: source_profile loop: %s > %s; make one of them hold keys instead of naming another profile (in %s or %s)",
				r.req.Profile, strings.Join(seen, " > "), p.Name, r.cfg.ConfigFile, r.cfg.CredentialsFile)
		}
	}
	seen = append(seen, p.Name)
	kind, _ := kindOf(p)
	switch kind {
	case kindRole:
		h, err := r.hopOf(p)
		if err != nil {
			return aws.Credentials{}, err
		}
		return r.role(ctx, h, seen)
	case kindWebIdentity:
		return r.webIdentity(ctx, p)
	case kindSSO:
		return r.sso(ctx, p)
	case kindProcess:
		return r.process(ctx, p)
	case kindStatic:
		return staticKeys(p), nil
	}
	return aws.Credentials{}, r.noCredentials(p, seen)
}

func (r *Resolver) noCredentials(p *awsconfig.Profile, seen []string) error {
	where := "in " + r.cfg.ConfigFile + " or " + r.cfg.CredentialsFile
	if len(p.Sections) > 0 {
		where = "at " + p.Sections[0].File + ":" + fmt.Sprint(p.Sections[0].Line)
	}
	if p.Get("role_arn") != "" {
		return fmt.Errorf("profile %q (%s) has role_arn but nothing to assume it with: add source_profile or credential_source", p.Name, where)
	}
	if len(seen) > 1 {
		return fmt.Errorf("profile %q: its source profile %q (%s) has no credentials: no keys, role, SSO or credential_process", r.req.Profile, p.Name, where)
	}
	return fmt.Errorf("profile %q (%s) has no credentials: no keys, role, SSO or credential_process; run `awsenv doctor --profile %s`", p.Name, where, p.Name)
}

func staticKeys(p *awsconfig.Profile) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     p.Get("aws_access_key_id"),
		SecretAccessKey: p.Get("aws_secret_access_key"),
		SessionToken:    p.Get("aws_session_token"),
		Source:          "profile " + p.Name,
	}
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
