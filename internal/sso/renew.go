package sso

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/awsenv/awsenv/internal/ssocache"
)

// renewLockWait is how long Token waits for another process's renewal.
const renewLockWait = 30 * time.Second

// endedCodes are the OIDC answers to a refresh that mean the session is
// over, not that the service or the network failed.
var endedCodes = map[string]bool{
	"InvalidGrantException":         true,
	"InvalidClientException":        true,
	"UnauthorizedClientException":   true,
	"ExpiredTokenException":         true,
	"AccessDeniedException":         true,
	"UnsupportedGrantTypeException": true,
}

// Token returns a usable access token: the cached one while it has more
// than the renew window left, else one renewed with the refresh token, with
// no browser and no question, and written back to the cache. Only when the
// session itself is over does it fail with a *LoginRequiredError. A renewal
// that fails while the cached token is still valid is not an error: the
// token is used and the next call tries again.
func (c *Client) Token(ctx context.Context) (*ssocache.Token, error) {
	tok, err := c.cached()
	if err != nil {
		return nil, err
	}
	now := c.opts.Now()
	if !tok.Expired(now, c.opts.RenewWindow) {
		return tok, nil
	}
	if !tok.Renewable(now) {
		if !tok.Expired(now, 0) {
			return tok, nil
		}
		return nil, c.loginRequired(notRenewable(tok, now), nil)
	}
	unlock, err := c.opts.Store.Lock(c.opts.Session, renewLockWait)
	if err != nil {
		if !tok.Expired(now, 0) {
			return tok, nil
		}
		return nil, fmt.Errorf("renewing the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	defer unlock()
	// Another process may have renewed it while this one waited, or
	// logged out: a login removed meanwhile is not written back.
	tok, err = c.cached()
	if err != nil {
		return nil, err
	}
	if !tok.Expired(c.opts.Now(), c.opts.RenewWindow) {
		return tok, nil
	}
	renewed, err := c.renew(ctx, tok)
	if err != nil {
		if !tok.Expired(c.opts.Now(), 0) {
			return tok, nil
		}
		if endedCodes[code(err)] {
			return nil, c.loginRequired("the SSO session has ended (IAM Identity Center refused to renew it)", err)
		}
		return nil, fmt.Errorf("renewing the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	if err := c.opts.Store.SaveToken(c.opts.Session, renewed); err != nil {
		return nil, fmt.Errorf("saving the renewed SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	return renewed, nil
}

// Renew renews the access token now, whatever time it has left, and
// writes it back. It fails with a *LoginRequiredError when the token
// cannot be renewed.
func (c *Client) Renew(ctx context.Context) (*ssocache.Token, error) {
	tok, err := c.cached()
	if err != nil {
		return nil, err
	}
	if now := c.opts.Now(); !tok.Renewable(now) {
		return nil, c.loginRequired(notRenewable(tok, now), nil)
	}
	unlock, err := c.opts.Store.Lock(c.opts.Session, renewLockWait)
	if err != nil {
		return nil, fmt.Errorf("renewing the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	defer unlock()
	if tok, err = c.cached(); err != nil {
		return nil, err
	}
	renewed, err := c.renew(ctx, tok)
	if err != nil {
		if endedCodes[code(err)] {
			return nil, c.loginRequired("the SSO session has ended (IAM Identity Center refused to renew it)", err)
		}
		return nil, fmt.Errorf("renewing the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	if err := c.opts.Store.SaveToken(c.opts.Session, renewed); err != nil {
		return nil, fmt.Errorf("saving the renewed SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	return renewed, nil
}

// cached reads the session's token, or says a login is required.
func (c *Client) cached() (*ssocache.Token, error) {
	path := c.opts.Store.TokenPath(c.opts.Session)
	tok, err := c.opts.Store.LoadToken(c.opts.Session)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, c.loginRequired("no cached SSO login ("+path+")", nil)
	case err != nil:
		return nil, c.loginRequired("the cached SSO login cannot be used", err)
	case tok.StartURL != "" && tok.StartURL != c.opts.Session.StartURL:
		return nil, c.loginRequired("the cached SSO login ("+path+") is for another start URL, "+tok.StartURL, nil)
	}
	return tok, nil
}

func notRenewable(tok *ssocache.Token, now time.Time) string {
	switch {
	case tok.RefreshToken == "":
		return "the SSO login expired at " + tok.ExpiresAt.UTC().Format(time.RFC3339) + " and holds no refresh token"
	case !tok.RegistrationExpiresAt.After(now):
		return "the SSO client registration expired at " + tok.RegistrationExpiresAt.UTC().Format(time.RFC3339)
	default:
		return "the SSO login expired at " + tok.ExpiresAt.UTC().Format(time.RFC3339) + " and holds no client registration to renew it"
	}
}

func (c *Client) loginRequired(reason string, err error) error {
	return &LoginRequiredError{Session: c.opts.Session, Reason: reason, Err: err}
}

// renew is the refresh_token grant.
func (c *Client) renew(ctx context.Context, tok *ssocache.Token) (*ssocache.Token, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	start := c.opts.Now()
	out, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(tok.ClientID),
		ClientSecret: aws.String(tok.ClientSecret),
		GrantType:    aws.String("refresh_token"),
		RefreshToken: aws.String(tok.RefreshToken),
	})
	if err != nil {
		return nil, callError("CreateToken", err, tok.ClientSecret, tok.RefreshToken, tok.AccessToken)
	}
	if aws.ToString(out.AccessToken) == "" || out.ExpiresIn <= 0 {
		return nil, &APIError{Op: "CreateToken", Message: "the answer holds no access token or lifetime"}
	}
	renewed := *tok
	renewed.AccessToken = aws.ToString(out.AccessToken)
	renewed.ExpiresAt = start.Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second)
	if rt := aws.ToString(out.RefreshToken); rt != "" {
		renewed.RefreshToken = rt
	}
	if renewed.StartURL == "" {
		renewed.StartURL = c.opts.Session.StartURL
	}
	if renewed.Region == "" {
		renewed.Region = c.opts.Session.Region
	}
	return &renewed, nil
}
