package resolve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/tty"
)

// dialTimeout is short because an STS endpoint answers in milliseconds; a
// silent one is down, and the user is waiting at a prompt.
const dialTimeout = 3 * time.Second

func (r *Resolver) httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithTimeout(r.req.Timeout).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = dialTimeout })
}

// stsClient signs with src and reaches the configured endpoint.
func (r *Resolver) stsClient(src aws.Credentials) *sts.Client {
	return sts.New(sts.Options{
		Region:           r.region,
		Credentials:      aws.NewCredentialsCache(staticProvider{src}),
		HTTPClient:       r.httpClient(),
		RetryMaxAttempts: 2,
	}, r.withEndpoint)
}

// withEndpoint points one call at the configured endpoint. The SDK's own
// assume-role client honours only AWS_ENDPOINT_URL_STS and [services];
// applying it per call closes that gap for every client, ours or the SDK's.
func (r *Resolver) withEndpoint(o *sts.Options) {
	if r.endpoint.URL != "" {
		o.BaseEndpoint = aws.String(r.endpoint.URL)
	}
}

type staticProvider struct{ c aws.Credentials }

func (s staticProvider) Retrieve(context.Context) (aws.Credentials, error) { return s.c, nil }

// duration picks --duration, else the profile's duration_seconds, else
// the CLI's hour.
func (r *Resolver) duration(sc *config.SharedConfig) time.Duration {
	switch {
	case r.req.Duration > 0:
		return r.req.Duration
	case sc.RoleDurationSeconds != nil && *sc.RoleDurationSeconds > 0:
		return *sc.RoleDurationSeconds
	}
	return creds.DefaultDuration
}

// AssumeRole's DurationSeconds limits; a role's own maximum, and role
// chaining's hour, STS alone knows and reports (see explainSTS).
const (
	minRoleSession = 15 * time.Minute
	maxRoleSession = 12 * time.Hour
)

// assumeRole calls AssumeRole for the role profile sc with the source
// credentials src, adding the MFA device and a code when withMFA is set.
// It returns the credentials and the response as the cache stores it.
func (r *Resolver) assumeRole(ctx context.Context, sc *config.SharedConfig, src aws.Credentials, chained, withMFA bool) (aws.Credentials, cache.Entry, error) {
	d := r.duration(sc)
	if d < minRoleSession || d > maxRoleSession {
		return aws.Credentials{}, cache.Entry{}, fmt.Errorf("profile %q: STS grants role sessions of %s to %s, not %s; ask for a length in that range with --duration or duration_seconds (and no more than the role's maximum session duration, or 1h for a role assumed with another role's credentials)", r.req.Profile, minRoleSession, maxRoleSession, d)
	}
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(sc.RoleARN),
		RoleSessionName: aws.String(sessionName(sc.RoleSessionName)),
		DurationSeconds: aws.Int32(int32(d / time.Second)),
	}
	if sc.ExternalID != "" {
		in.ExternalId = aws.String(sc.ExternalID)
	}
	if withMFA {
		code, err := r.mfaCode(sc.Profile, sc.MFASerial)
		if err != nil {
			return aws.Credentials{}, cache.Entry{}, err
		}
		in.SerialNumber = aws.String(sc.MFASerial)
		in.TokenCode = aws.String(code)
	}
	ctx, cancel := context.WithTimeout(ctx, r.req.Timeout)
	defer cancel()
	out, err := r.stsClient(src).AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, withCause(r.explainSTS(sc, err, d, chained), err)
	}
	if out.Credentials == nil {
		return aws.Credentials{}, cache.Entry{}, fmt.Errorf("profile %q: STS at %s answered AssumeRole for %s without credentials", r.req.Profile, r.endpointName(), sc.RoleARN)
	}
	e := entryOf(out.Credentials)
	if u := out.AssumedRoleUser; u != nil {
		e.AssumedRoleUser = &cache.RoleUser{AssumedRoleID: aws.ToString(u.AssumedRoleId), Arn: aws.ToString(u.Arn)}
		e.Credentials.AccountID = accountOf(aws.ToString(u.Arn))
	}
	return credsOf(e), e, nil
}

// sessionName is the configured role_session_name or, like the CLI, one
// that says where the session came from in CloudTrail.
func sessionName(configured string) string {
	if configured != "" {
		return configured
	}
	return fmt.Sprintf("awsenv-%d", time.Now().UnixNano())
}

// mfaCode takes --mfa-token, else asks on the terminal.
func (r *Resolver) mfaCode(profile, serial string) (string, error) {
	if r.req.MFAToken != "" {
		return r.req.MFAToken, nil
	}
	if r.req.NoPrompt {
		return "", fmt.Errorf("profile %q needs a code from MFA device %s and awsenv may not ask for one here (--no-prompt): run `awsenv refresh` or `awsenv use %s` yourself", profile, serial, profile)
	}
	code, err := tty.Ask(fmt.Sprintf("MFA code for %s (profile %s): ", serial, profile))
	if errors.Is(err, tty.ErrNoTerminal) {
		return "", fmt.Errorf("profile %q needs a code from MFA device %s and there is no terminal to ask on: pass --mfa-token CODE", profile, serial)
	}
	if err != nil {
		return "", err
	}
	if code == "" {
		return "", fmt.Errorf("profile %q: no MFA code entered for %s", profile, serial)
	}
	return code, nil
}

// viaSDK resolves profile kinds awsenv does not walk itself. Any role the
// SDK assumes on the way still goes to the configured endpoint, for the
// requested duration, with MFA codes from the terminal.
func (r *Resolver) viaSDK(ctx context.Context, profile string) (aws.Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, r.req.Timeout)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithSharedConfigProfile(profile),
		config.WithSharedConfigFiles([]string{r.cfg.ConfigFile}),
		config.WithSharedCredentialsFiles([]string{r.cfg.CredentialsFile}),
		config.WithHTTPClient(r.httpClient()),
		config.WithRetryMaxAttempts(2),
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			if r.req.Duration > 0 || o.Duration == 0 {
				o.Duration = r.durationOr(o.Duration)
			}
			o.Client = assumeRoleEndpoint{o.Client, r.withEndpoint}
			serial := aws.ToString(o.SerialNumber)
			o.TokenProvider = func() (string, error) { return r.mfaCode(profile, serial) }
		}),
		config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
			// The SDK applies these options once before it has made a
			// client and once after; AssumeRoleWithWebIdentity is unsigned,
			// so a client of our own, without credentials, serves both.
			o.Client = sts.New(sts.Options{Region: r.region, HTTPClient: r.httpClient(), RetryMaxAttempts: 2}, r.withEndpoint)
		}),
	)
	if err != nil {
		return aws.Credentials{}, explainConfig(profile, r.cfg, err)
	}
	c, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, r.explainSDK(profile, err)
	}
	return c, nil
}

func (r *Resolver) durationOr(d time.Duration) time.Duration {
	if r.req.Duration > 0 {
		return r.req.Duration
	}
	if d > 0 {
		return d
	}
	return creds.DefaultDuration
}

type assumeRoleEndpoint struct {
	c  stscreds.AssumeRoleAPIClient
	fn func(*sts.Options)
}

func (a assumeRoleEndpoint) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, opts ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return a.c.AssumeRole(ctx, in, append(opts, a.fn)...)
}

// explainSTS says what a failed AssumeRole means and what to do next.
func (r *Resolver) explainSTS(sc *config.SharedConfig, err error, d time.Duration, chained bool) error {
	role := sc.RoleARN
	where := r.endpointName()
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorMessage()
		switch code := ae.ErrorCode(); {
		case code == "ExpiredToken":
			return fmt.Errorf("profile %q: the source credentials for %s are expired (STS: %s); renew the source profile %q's keys, or run `awsenv doctor --profile %s`", r.req.Profile, role, msg, sourceName(sc), r.req.Profile)
		case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
			return fmt.Errorf("profile %q: STS rejected the source credentials for %s (%s: %s); check the keys of profile %q, or run `awsenv doctor --profile %s`", r.req.Profile, role, code, msg, sourceName(sc), r.req.Profile)
		case strings.Contains(strings.ToLower(msg), "durationseconds"):
			hint := "ask for less with --duration or duration_seconds, or raise the role's maximum session duration"
			if chained {
				hint = "a role assumed with another role's credentials (role chaining) is limited to 1 hour: use --duration 1h"
			}
			return fmt.Errorf("profile %q: STS refused a %s session for %s: %s; %s", r.req.Profile, d, role, msg, hint)
		case code == "AccessDenied":
			return fmt.Errorf("profile %q: not allowed to assume %s (%s); check the role's trust policy, external_id and mfa_serial", r.req.Profile, role, msg)
		}
		return fmt.Errorf("profile %q: assuming %s at %s failed: %s: %s", r.req.Profile, role, where, ae.ErrorCode(), msg)
	}
	return fmt.Errorf("profile %q: could not reach STS at %s to assume %s: %w; check the network, proxy variables and the endpoint, or run `awsenv doctor --profile %s`", r.req.Profile, where, role, unwrapNet(err), r.req.Profile)
}

// explainSDK adds the next step to the SDK's errors for the profile kinds
// it resolved.
func (r *Resolver) explainSDK(profile string, err error) error {
	p, _ := r.cfg.Profile(profile)
	if p != nil && (p.Get("sso_session") != "" || p.Get("sso_start_url") != "") {
		login := "aws sso login --profile " + profile
		if s := p.Get("sso_session"); s != "" {
			login = "aws sso login --sso-session " + s
		}
		return fmt.Errorf("profile %q uses AWS SSO and its cached login is missing or expired: run `%s`, then try again (%v)", profile, login, err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("profile %q: %s: %s", profile, ae.ErrorCode(), ae.ErrorMessage())
	}
	return fmt.Errorf("profile %q: %w", profile, unwrapNet(err))
}

func (r *Resolver) endpointName() string {
	if r.endpoint.URL != "" {
		return r.endpoint.URL + " (from " + r.endpoint.Source + ")"
	}
	return "sts." + r.region + ".amazonaws.com"
}

func sourceName(sc *config.SharedConfig) string {
	if sc.Source != nil {
		return sc.Source.Profile
	}
	return sc.Profile
}

// unwrapNet drops the SDK's layers of operation wrapping, which repeat the
// request and hide the one sentence that matters (refused, timed out).
func unwrapNet(err error) error {
	var ne net.Error
	if errors.As(err, &ne) {
		return ne
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe
	}
	return err
}
