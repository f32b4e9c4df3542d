package resolve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/sso"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// The leaf providers: each is the SDK's, given every parameter explicitly
// from awsenv's reading of the profile, and bounded by the request's
// timeout.

// retrieve runs a provider within the timeout.
func (r *Resolver) retrieve(ctx context.Context, p aws.CredentialsProvider) (aws.Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, r.req.Timeout)
	defer cancel()
	return p.Retrieve(ctx)
}

// credentialSource returns the credentials a role's credential_source
// names: the shell's key variables, the EC2 instance role, or the
// container's endpoint.
func (r *Resolver) credentialSource(ctx context.Context, h *hop) (aws.Credentials, error) {
	hc, err := r.clients.httpClient()
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %q: %w", r.req.Profile, err)
	}
	var c aws.Credentials
	switch h.CredentialSource.Value {
	case "Environment":
		c = aws.Credentials{
			AccessKeyID:     r.env.get(creds.AccessKeyID),
			SecretAccessKey: r.env.get(creds.SecretAccessKey),
			SessionToken:    r.env.get(creds.SessionToken),
		}
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return aws.Credentials{}, fmt.Errorf("profile %q: credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set in this shell", h.name())
		}
		return c, nil
	case "Ec2InstanceMetadata":
		o := imds.Options{HTTPClient: hc}
		if v := cmp.Or(r.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"), h.Profile.Get("ec2_metadata_service_endpoint")); v != "" {
			o.Endpoint = v
		}
		if strings.EqualFold(r.getenv("AWS_EC2_METADATA_DISABLED"), "true") {
			return aws.Credentials{}, fmt.Errorf("profile %q: credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED=true", h.name())
		}
		c, err = r.retrieve(ctx, ec2rolecreds.New(func(eo *ec2rolecreds.Options) { eo.Client = imds.New(o) }))
	case "EcsContainer":
		url, token, err := r.containerEndpoint()
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("profile %q: credential_source = EcsContainer: %w", h.name(), err)
		}
		c, err = r.retrieve(ctx, endpointcreds.New(url, func(o *endpointcreds.Options) {
			o.HTTPClient = hc
			o.AuthorizationToken = token
		}))
		if err != nil {
			return aws.Credentials{}, r.explainSDK(h.Profile, err)
		}
		return c, nil
	}
	if err != nil {
		return aws.Credentials{}, r.explainSDK(h.Profile, err)
	}
	return c, nil
}

// containerEndpoint is the container credentials endpoint the shell names,
// as the SDKs read it.
func (r *Resolver) containerEndpoint() (url, token string, err error) {
	switch {
	case r.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != "":
		url = "http://169.254.170.2" + r.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
	case r.env.get(creds.ContainerFullURI) != "":
		url = r.env.get(creds.ContainerFullURI)
	default:
		return "", "", errors.New("neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
	}
	token = r.env.get(creds.ContainerAuthToken)
	if f := r.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); f != "" {
		b, err := readSmall(f)
		if err != nil {
			return "", "", fmt.Errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	return url, token, nil
}

// webIdentity assumes the profile's role with its web identity token.
func (r *Resolver) webIdentity(ctx context.Context, h awsconfig.Hop) (aws.Credentials, error) {
	client, err := r.clients.sts(nil) // AssumeRoleWithWebIdentity is unsigned
	if err != nil {
		return aws.Credentials{}, err
	}
	p := h.Profile
	d := r.duration(&hop{Hop: h})
	prov := stscreds.NewWebIdentityRoleProvider(client, h.RoleARN.Value, stscreds.IdentityTokenFile(h.WebIdentityTokenFile.Value),
		func(o *stscreds.WebIdentityRoleOptions) {
			o.RoleSessionName = sessionName(h.RoleSessionName.Value)
			o.Duration = d
		})
	c, err := r.retrieve(ctx, prov)
	if err != nil {
		return aws.Credentials{}, r.explainSDK(p, err)
	}
	return c, nil
}

// sso returns the role credentials of an SSO profile: from the AWS CLI's
// cache under the CLI's key while they are valid there, else from the
// portal with the cached login, which internal/sso renews with its refresh
// token when the access token has run out (no browser, no question). When
// the SSO session itself is over the error is a *sso.LoginRequiredError
// naming the profile the user asked for.
func (r *Resolver) sso(ctx context.Context, p *awsconfig.Profile) (aws.Credentials, error) {
	store, storeErr := cache.CLIStore()
	if storeErr != nil {
		c, _, err := r.fetchSSO(ctx, p)
		return c, err
	}
	c, _, err := r.cached(ctx, store, cache.SSOKey(p), p.Name, r.req.Refresh, "the credentials of profile "+p.Name, func() (aws.Credentials, cache.Entry, error) {
		return r.fetchSSO(ctx, p)
	})
	return c, err
}

// fetchSSO gets the role credentials of SSO profile p from the portal.
func (r *Resolver) fetchSSO(ctx context.Context, p *awsconfig.Profile) (aws.Credentials, cache.Entry, error) {
	o, err := r.ssoClientOptions(p)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	rc, err := sso.ProfileCredentials(ctx, r.cfg, p, o)
	if err != nil {
		// The login command names the profile the user typed: for a role
		// on top of an SSO profile, `awsenv login ROLE` finds the session.
		return aws.Credentials{}, cache.Entry{}, sso.ForProfile(err, r.req.Profile)
	}
	e := cache.Entry{Credentials: rc, ProviderType: "sso"}
	return credsOf(e), e, nil
}

// ssoClientOptions are the internal/sso options for SSO profile p: the login
// cache, the OIDC and portal endpoints of awsenv's one endpoint rule, and
// the resolver's HTTP client (timeouts, CA bundle, proxies). The session
// is left for the caller to set.
func (r *Resolver) ssoClientOptions(p *awsconfig.Profile) (sso.Options, error) {
	hc, err := r.clients.httpClient()
	if err != nil {
		return sso.Options{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	return ssoOptions(r.cfg, p, hc, r.getenv)
}

// SSOOptions are the internal/sso options for the commands that sign in
// (login, logout, sso profiles): those `use` resolves with, for SSO
// profile p, or for a session named on the command line when p is nil.
func SSOOptions(cfg *awsconfig.Config, p *awsconfig.Profile, timeout time.Duration, getenv func(string) string) (sso.Options, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	hc, err := HTTPClient(p, timeout, getenv)
	if err != nil {
		return sso.Options{}, err
	}
	return ssoOptions(cfg, p, hc, getenv)
}

func ssoOptions(cfg *awsconfig.Config, p *awsconfig.Profile, hc aws.HTTPClient, getenv func(string) string) (sso.Options, error) {
	store, err := ssocache.DefaultStore()
	if err != nil {
		return sso.Options{}, err
	}
	return sso.Options{
		Store:          store,
		OIDCEndpoint:   cfg.ServiceEndpoint(p, awsconfig.ServiceSSOOIDC, getenv).URL,
		PortalEndpoint: cfg.ServiceEndpoint(p, awsconfig.ServiceSSO, getenv).URL,
		HTTPClient:     hc,
	}, nil
}

// explainSDK adds the next step to the errors of the SDK's providers. It
// never quotes a provider's own text where that may echo a secret.
func (r *Resolver) explainSDK(p *awsconfig.Profile, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("profile %q: %s: %s", p.Name, ae.ErrorCode(), ae.ErrorMessage())
	}
	return fmt.Errorf("profile %q: %w", p.Name, unwrapNet(err))
}
