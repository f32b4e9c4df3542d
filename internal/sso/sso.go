// Package sso signs in to IAM Identity Center (AWS SSO) without the AWS
// CLI: the OAuth flows `aws sso login` uses against SSO OIDC (authorization
// code with PKCE and a loopback redirect, and the device authorization
// grant), silent renewal with the refresh token, and the portal calls that
// turn the login into role credentials and list the accounts and roles a
// user can reach. Logins are kept in ~/.aws/sso/cache through
// internal/ssocache, so the AWS CLI v2 and the SDKs share them.
//
// Wire calls go through the AWS SDK for Go v2 clients (service/ssooidc,
// service/sso), with a base endpoint the caller resolves, an HTTP client
// with timeouts, and errors from which every secret is removed.
package sso

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/ssocache"
)

// DefaultRenewWindow is how long before its end an access token is
// renewed: botocore's SSOTokenProvider._REFRESH_WINDOW, so that awsenv and
// the CLI renew at the same moment and never hand out a token that ends
// within the 15 minutes (cache.RefreshMargin) credentials must last.
const DefaultRenewWindow = 15 * time.Minute

// CallTimeout bounds each call to SSO OIDC or the portal.
const CallTimeout = 30 * time.Second

// Options configure a Client. Only Session and Store are required.
type Options struct {
	Session ssocache.Session
	Store   ssocache.Store

	// OIDCEndpoint and PortalEndpoint are base endpoints
	// (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO, [services] …,
	// as awsenv's endpoint rule resolves them); "" is AWS's regional one.
	OIDCEndpoint   string
	PortalEndpoint string

	// HTTPClient makes every call; nil is one with CallTimeout. awsenv's
	// resolver passes its own (timeouts, CA bundle, proxies).
	HTTPClient aws.HTTPClient
	// RenewWindow is DefaultRenewWindow when zero.
	RenewWindow time.Duration
	// Now is time.Now when nil.
	Now func() time.Time
	// Sleep waits between device flow polls; nil sleeps for real. Tests
	// give one that records the interval and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// ClientName names awsenv's OIDC registrations; "" is
	// "awsenv-SESSION".
	ClientName string
}

// Client signs in to one SSO session and calls its portal.
type Client struct {
	opts   Options
	oidc   *ssooidc.Client
	portal *sso.Client
}

// New returns a Client for o.Session.
func New(o Options) (*Client, error) {
	if o.Session.StartURL == "" || o.Session.Region == "" {
		return nil, fmt.Errorf("%s: no start URL or region", o.Session.Label())
	}
	if o.Store.Dir == "" {
		return nil, errors.New("no SSO cache folder")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = NewHTTPClient()
	}
	if o.RenewWindow == 0 {
		o.RenewWindow = DefaultRenewWindow
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.ClientName == "" {
		o.ClientName = "awsenv-" + o.Session.Name
		if o.Session.Name == "" {
			o.ClientName = fmt.Sprintf("awsenv-%d", o.Now().Unix())
		}
	}
	c := &Client{opts: o}
	c.oidc = ssooidc.New(ssooidc.Options{
		Region:       o.Session.Region,
		HTTPClient:   o.HTTPClient,
		BaseEndpoint: optional(o.OIDCEndpoint),
		// The OIDC and portal calls are unsigned; no credentials needed.
		Credentials: aws.AnonymousCredentials{},
	})
	c.portal = sso.New(sso.Options{
		Region:       o.Session.Region,
		HTTPClient:   o.HTTPClient,
		BaseEndpoint: optional(o.PortalEndpoint),
		Credentials:  aws.AnonymousCredentials{},
	})
	return c, nil
}

// Session is the client's session.
func (c *Client) Session() ssocache.Session { return c.opts.Session }

// NewHTTPClient is an HTTP client whose every stage has a time limit: a
// dead network or portal ends in an error, not a hung shell prompt.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: CallTimeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: CallTimeout,
			IdleConnTimeout:       30 * time.Second,
			ForceAttemptHTTP2:     true,
		},
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// LoginRequiredError means the SSO session itself is over (or was never
// started): no cached token, or one that can no longer be renewed. Only a
// new sign-in in the browser helps.
type LoginRequiredError struct {
	Session ssocache.Session
	// Profile, when set, is the profile the user asked for, which the
	// message names in its command.
	Profile string
	// Reason says what was found, e.g. "the SSO session has expired".
	Reason string
	Err    error
}

func (e *LoginRequiredError) Error() string {
	return fmt.Sprintf("%s: %s: run `%s`, then try again", e.Session.Label(), e.Reason, e.Command())
}

// Command is the awsenv command that starts a new login.
func (e *LoginRequiredError) Command() string {
	// Quoted for the shell: names come from the config file.
	switch {
	case e.Profile != "":
		return shell.Cmd("login", e.Profile)
	case e.Session.Name != "":
		return shell.Cmd("login", "--sso-session", e.Session.Name)
	default:
		return "awsenv login PROFILE"
	}
}

func (e *LoginRequiredError) Unwrap() error { return e.Err }

// ForProfile returns err with the profile named in its message, when it is
// a *LoginRequiredError; otherwise err itself.
func ForProfile(err error, profile string) error {
	var lr *LoginRequiredError
	if errors.As(err, &lr) {
		cp := *lr
		cp.Profile = profile
		return &cp
	}
	return err
}

// APIError is a failed SSO OIDC or portal call, with its message cleaned
// of every secret the call carried.
type APIError struct {
	Op      string // e.g. "CreateToken"
	Code    string // e.g. "InvalidGrantException"; "" for a network error
	Message string
}

func (e *APIError) Error() string {
	switch {
	case e.Code != "" && e.Message != "":
		return fmt.Sprintf("%s: %s: %s", e.Op, e.Code, e.Message)
	case e.Code != "":
		return fmt.Sprintf("%s: %s", e.Op, e.Code)
	default:
		return fmt.Sprintf("%s: %s", e.Op, e.Message)
	}
}

// callError turns an SDK error into an *APIError whose text holds none of
// secrets: an SDK error may quote what it sent or got back.
func callError(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	e := &APIError{Op: op}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.Code = api.ErrorCode()
		e.Message = api.ErrorMessage()
	} else {
		e.Message = err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			e.Message = "timed out"
		} else if errors.Is(err, context.Canceled) {
			e.Message = "cancelled"
		}
	}
	e.Message = redact(e.Message, secrets...)
	return e
}

// redact removes every secret from s.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// code is the error code of an *APIError in err, or "".
func code(err error) string {
	var e *APIError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
