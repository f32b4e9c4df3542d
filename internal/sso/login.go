package sso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/awsenv/awsenv/internal/ssocache"
)

// DefaultScope is what the authorization code flow asks for when the
// session sets no sso_registration_scopes, as the AWS CLI does.
const DefaultScope = "sso:account:access"

// registrationWindow is how long a cached registration must still be
// valid to be used for a new login (botocore's _EXPIRY_WINDOW).
const registrationWindow = 15 * time.Minute

// DefaultLoginWait is how long a login waits for the user to approve it
// in the browser (the AWS CLI's AuthCodeFetcher._OVERALL_TIMEOUT).
const DefaultLoginWait = 10 * time.Minute

// Flow is an OAuth grant a login uses.
type Flow int

const (
	// FlowAuto is the authorization code flow where a browser can be
	// opened on this machine, the device flow elsewhere.
	FlowAuto Flow = iota
	// FlowAuthCode is the authorization code grant with PKCE, redirected
	// to a listener on 127.0.0.1.
	FlowAuthCode
	// FlowDevice is the device authorization grant: a code to enter on
	// any device.
	FlowDevice
)

func (f Flow) String() string {
	switch f {
	case FlowAuthCode:
		return "authorization code"
	case FlowDevice:
		return "device code"
	default:
		return "auto"
	}
}

// LoginOptions configure one login.
type LoginOptions struct {
	Flow Flow
	// NoBrowser prints the URL (and code) instead of opening a browser.
	NoBrowser bool
	// Out receives what the user must read: the URL, the code. It is
	// stderr or the terminal, never stdout.
	Out io.Writer
	// OpenBrowser opens a URL; nil is OpenBrowser. Tests pass one that
	// plays the browser.
	OpenBrowser func(url string) error
	// Wait bounds the wait for the user; DefaultLoginWait when zero.
	Wait time.Duration
}

// ChooseFlow is the flow Login uses for opts: the device flow when asked
// for, for a legacy profile (the authorization code flow needs an
// sso-session, as in the AWS CLI) and where no browser can be opened here;
// else the authorization code flow.
func (c *Client) ChooseFlow(opts LoginOptions) Flow {
	switch {
	case opts.Flow != FlowAuto:
		return opts.Flow
	case c.opts.Session.Name == "":
		return FlowDevice
	case opts.OpenBrowser != nil || CanOpenBrowser():
		return FlowAuthCode
	default:
		return FlowDevice
	}
}

// Login signs in with the browser and caches the new token, in the AWS
// CLI's format, for the CLI, the SDKs and awsenv. It replaces whatever
// token was cached; a registration still valid for the flow is reused.
func (c *Client) Login(ctx context.Context, opts LoginOptions) (*ssocache.Token, error) {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	// The flow is chosen before the default opener is filled in: a
	// caller's opener means a browser, the default one only where
	// CanOpenBrowser says so.
	flow := c.ChooseFlow(opts)
	if opts.OpenBrowser == nil {
		opts.OpenBrowser = OpenBrowser
	}
	if opts.Wait == 0 {
		opts.Wait = DefaultLoginWait
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Wait)
	defer cancel()
	if flow == FlowAuthCode && c.opts.Session.Name == "" {
		return nil, fmt.Errorf("%s: the authorization code flow needs an [sso-session] section; use the device code flow, or move sso_start_url and sso_region into an sso-session", c.opts.Session.Label())
	}
	var (
		tok *ssocache.Token
		err error
	)
	if flow == FlowAuthCode {
		tok, err = c.loginAuthCode(ctx, opts)
	} else {
		tok, err = c.loginDevice(ctx, opts)
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("signing in to %s: not approved within %s", c.opts.Session.Label(), opts.Wait)
		}
		return nil, fmt.Errorf("signing in to %s: %w", c.opts.Session.Label(), err)
	}
	if err := c.opts.Store.SaveToken(c.opts.Session, tok); err != nil {
		return nil, fmt.Errorf("saving the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	return tok, nil
}

// registration returns a cached registration for the flow, or registers
// a new client and caches it. A registration of the other flow is
// replaced, as the CLI replaces it: both share one file.
func (c *Client) registration(ctx context.Context, authCode bool) (*ssocache.Registration, error) {
	reg, err := c.opts.Store.LoadRegistration(c.opts.Session)
	if err == nil && reg.ExpiresAt.Sub(c.opts.Now()) > registrationWindow && reg.ForAuthCode() == authCode {
		return reg, nil
	}
	in := &ssooidc.RegisterClientInput{
		ClientName: aws.String(c.opts.ClientName),
		ClientType: aws.String("public"),
	}
	scopes := c.opts.Session.Scopes
	if authCode {
		if len(scopes) == 0 {
			scopes = []string{DefaultScope}
		}
		in.GrantTypes = []string{"authorization_code", "refresh_token"}
		// The port is left out: IAM Identity Center accepts any port of
		// a loopback redirect, and so one registration serves every login.
		in.RedirectUris = []string{redirectBase}
		in.IssuerUrl = aws.String(c.opts.Session.StartURL)
	}
	if len(scopes) > 0 {
		in.Scopes = scopes
	}
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	out, err := c.oidc.RegisterClient(cctx, in)
	if err != nil {
		return nil, callError("RegisterClient", err)
	}
	if aws.ToString(out.ClientId) == "" || aws.ToString(out.ClientSecret) == "" {
		return nil, &APIError{Op: "RegisterClient", Message: "the answer holds no client"}
	}
	reg = &ssocache.Registration{
		ClientID:     aws.ToString(out.ClientId),
		ClientSecret: aws.ToString(out.ClientSecret),
		ExpiresAt:    time.Unix(out.ClientSecretExpiresAt, 0).UTC(),
		Scopes:       in.Scopes,
		GrantTypes:   in.GrantTypes,
	}
	if err := c.opts.Store.SaveRegistration(c.opts.Session, reg); err != nil {
		return nil, fmt.Errorf("saving the SSO client registration: %w", err)
	}
	return reg, nil
}

// newToken is the token file for a CreateToken answer, the registration
// cached alongside as the CLI caches it.
func (c *Client) newToken(reg *ssocache.Registration, out *ssooidc.CreateTokenOutput, start time.Time) (*ssocache.Token, error) {
	if aws.ToString(out.AccessToken) == "" || out.ExpiresIn <= 0 {
		return nil, &APIError{Op: "CreateToken", Message: "the answer holds no access token or lifetime"}
	}
	tok := &ssocache.Token{
		StartURL:     c.opts.Session.StartURL,
		Region:       c.opts.Session.Region,
		AccessToken:  aws.ToString(out.AccessToken),
		ExpiresAt:    start.Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second),
		RefreshToken: aws.ToString(out.RefreshToken),
	}
	// The registration goes alongside, as the CLI caches it: the
	// refresh_token grant needs it.
	tok.ClientID = reg.ClientID
	tok.ClientSecret = reg.ClientSecret
	tok.RegistrationExpiresAt = reg.ExpiresAt
	return tok, nil
}
