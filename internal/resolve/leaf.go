package resolve

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
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
		if v := firstOf(r.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"), h.Profile.Get("ec2_metadata_service_endpoint")); v != "" {
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

// sso returns the role credentials of an SSO profile from the cached
// login, renewing the access token with its refresh token when it can.
func (r *Resolver) sso(ctx context.Context, p *awsconfig.Profile) (aws.Credentials, error) {
	hc, err := r.clients.httpClient()
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	startURL, region, tokenKey := p.Get("sso_start_url"), p.Get("sso_region"), p.Get("sso_start_url")
	if name := p.Get("sso_session"); name != "" {
		s, ok := r.cfg.SSOSession(name)
		if !ok {
			v := p.Keys["sso_session"]
			return aws.Credentials{}, fmt.Errorf("profile %q: sso_session %q (%s) has no [sso-session %s] section in %s", p.Name, name, v.Where(), name, r.cfg.ConfigFile)
		}
		startURL, region, tokenKey = s.Keys["sso_start_url"].Value, s.Keys["sso_region"].Value, name
	}
	if startURL == "" || region == "" || p.Get("sso_account_id") == "" || p.Get("sso_role_name") == "" {
		return aws.Credentials{}, fmt.Errorf("profile %q: an SSO profile needs sso_start_url, sso_region, sso_account_id and sso_role_name (from the profile or its [sso-session])", p.Name)
	}
	tokenFile, err := ssocreds.StandardCachedTokenFilepath(tokenKey)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	portal := sso.Options{Region: region, HTTPClient: hc, RetryMaxAttempts: 2}
	if ep := r.cfg.ServiceEndpoint(p, awsconfig.ServiceSSO, r.getenv); ep.URL != "" {
		portal.BaseEndpoint = aws.String(ep.URL)
	}
	prov := ssocreds.New(sso.New(portal), p.Get("sso_account_id"), p.Get("sso_role_name"), startURL, func(o *ssocreds.Options) {
		o.CachedTokenFilepath = tokenFile
		if p.Get("sso_session") != "" {
			oidc := ssooidc.Options{Region: region, HTTPClient: hc, RetryMaxAttempts: 2}
			if ep := r.cfg.ServiceEndpoint(p, awsconfig.ServiceSSOOIDC, r.getenv); ep.URL != "" {
				oidc.BaseEndpoint = aws.String(ep.URL)
			}
			o.SSOTokenProvider = ssocreds.NewSSOTokenProvider(ssooidc.New(oidc), tokenFile)
		}
	})
	c, err := r.retrieve(ctx, prov)
	if err != nil {
		return aws.Credentials{}, r.explainSDK(p, err)
	}
	return c, nil
}

// explainSDK adds the next step to the errors of the SDK's providers. It
// never quotes a provider's own text where that may echo a secret.
func (r *Resolver) explainSDK(p *awsconfig.Profile, err error) error {
	if p.Get("sso_session") != "" || p.Get("sso_start_url") != "" {
		login := "aws sso login --profile " + p.Name
		if s := p.Get("sso_session"); s != "" {
			login = "aws sso login --sso-session " + s
		}
		return fmt.Errorf("profile %q uses AWS SSO and its cached login is missing or expired: run `%s`, then try again (%v)", p.Name, login, unwrapNet(err))
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("profile %q: %s: %s", p.Name, ae.ErrorCode(), ae.ErrorMessage())
	}
	return fmt.Errorf("profile %q: %w", p.Name, unwrapNet(err))
}
