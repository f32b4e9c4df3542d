// Package resolve turns a profile into credentials with the AWS SDK for Go
// v2. It walks role chains itself, so that every AssumeRole call reaches
// the configured STS endpoint, runs with the duration the user asked for,
// reads MFA codes from the terminal and gives up within a timeout; profile
// kinds it does not need to look inside (SSO, credential_process, web
// identity, credential_source) are left to the SDK.
package resolve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
)

// DefaultTimeout bounds each network call when the request names none.
const DefaultTimeout = 10 * time.Second

// maxChain stops a source_profile loop the SDK did not catch.
const maxChain = 16

// Resolver fetches credentials for one request.
type Resolver struct {
	cfg      *awsconfig.Config
	req      creds.Request
	endpoint awsconfig.Endpoint
	region   string    // for STS calls
	start    time.Time // a cache entry written after it was fetched while this request waited
}

// Resolve returns credentials for req.Profile from the profile alone:
// credentials already exported in the environment are never the source.
func Resolve(ctx context.Context, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error) {
	p, err := cfg.Lookup(req.Profile)
	if err != nil {
		return creds.Credentials{}, err
	}
	if req.Timeout <= 0 {
		req.Timeout = DefaultTimeout
	}
	keepEnvKeys := p.Get("credential_source") == "Environment"
	restore := cleanEnv(keepEnvKeys)
	defer restore()

	sc, err := config.LoadSharedConfigProfile(ctx, req.Profile, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{cfg.ConfigFile}
		o.CredentialsFiles = []string{cfg.CredentialsFile}
	})
	if err != nil {
		return creds.Credentials{}, explainConfig(req.Profile, cfg, err)
	}
	r := &Resolver{cfg: cfg, req: req, endpoint: cfg.STSEndpoint(p), start: time.Now()}
	r.region = firstOf(req.Region, p.Get("region"), os.Getenv(creds.Region), os.Getenv(creds.DefaultRegion), "us-east-1")

	c, err := r.chain(ctx, &sc, 0)
	if err != nil {
		return creds.Credentials{}, err
	}
	out := creds.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          firstOf(req.Region, p.Get("region")),
		Profile:         req.Profile,
	}
	if c.CanExpire {
		out.Expires = c.Expires.UTC()
	}
	return out, nil
}

// chain resolves one hop. A role with a source_profile is assumed here,
// after its source has been resolved by the same function; static keys are
// used as they are; everything else goes to the SDK.
func (r *Resolver) chain(ctx context.Context, sc *config.SharedConfig, depth int) (aws.Credentials, error) {
	if depth > maxChain {
		return aws.Credentials{}, fmt.Errorf("profile %q: source_profile chain is longer than %d hops; check for a loop in %s", r.req.Profile, maxChain, r.cfg.ConfigFile)
	}
	switch {
	case sc.RoleARN != "" && sc.Source != nil:
		return r.role(ctx, sc, depth)
	case sc.Credentials.HasKeys():
		return sc.Credentials, nil
	default:
		return r.viaSDK(ctx, sc.Profile)
	}
}

// explainConfig turns the SDK's config errors into sentences that name the
// profile and the file to edit.
func explainConfig(profile string, cfg *awsconfig.Config, err error) error {
	var notExist config.SharedConfigProfileNotExistError
	var assume config.SharedConfigAssumeRoleError
	switch {
	case errors.As(err, &assume):
		return fmt.Errorf("profile %q: source_profile %q of role %s is missing or has no credentials; add it to %s or %s", profile, assume.Profile, assume.RoleARN, cfg.CredentialsFile, cfg.ConfigFile)
	case errors.As(err, &notExist) && notExist.Profile == profile:
		return fmt.Errorf("profile %q is not in %s or %s as the AWS SDK reads them; run `awsenv doctor --profile %s`", profile, cfg.ConfigFile, cfg.CredentialsFile, profile)
	case errors.As(err, &notExist):
		return fmt.Errorf("profile %q refers to profile %q, which is not in %s or %s", profile, notExist.Profile, cfg.ConfigFile, cfg.CredentialsFile)
	}
	return fmt.Errorf("profile %q: %w (in %s)", profile, err, cfg.ConfigFile)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
