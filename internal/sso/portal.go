package sso

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/awsenv/awsenv/internal/cache"
)

// Account is an AWS account the user can reach through the portal.
type Account struct {
	ID    string
	Name  string
	Email string
}

// AccountRole is one role of one account: what an SSO profile names.
type AccountRole struct {
	Account Account
	Role    string
}

// pageSize asks the portal for its largest pages (its maximum is 100).
const pageSize = 100

// maxPages bounds paging: a portal that keeps answering with a next token
// cannot keep awsenv forever.
const maxPages = 1000

// RoleCredentials gets credentials for role in account with the session's
// token, renewed first when it must be (Token). The result is in the form
// internal/cache keeps.
//
// A token the portal refuses although its file says it is valid (revoked,
// or replaced by a login elsewhere) is renewed once, silently, before a
// login is asked for.
func (c *Client) RoleCredentials(ctx context.Context, accountID, role string) (cache.Credentials, error) {
	tok, err := c.Token(ctx)
	if err != nil {
		return cache.Credentials{}, err
	}
	out, err := c.getRoleCredentials(ctx, tok.AccessToken, accountID, role)
	if _, ok := err.(*LoginRequiredError); ok && tok.Renewable(c.opts.Now()) {
		if tok, rerr := c.Renew(ctx); rerr == nil {
			out, err = c.getRoleCredentials(ctx, tok.AccessToken, accountID, role)
		}
	}
	if err != nil {
		return cache.Credentials{}, err
	}
	rc := out.RoleCredentials
	if rc == nil || aws.ToString(rc.AccessKeyId) == "" || aws.ToString(rc.SecretAccessKey) == "" || aws.ToString(rc.SessionToken) == "" || rc.Expiration <= 0 {
		return cache.Credentials{}, &APIError{Op: "GetRoleCredentials", Message: "the answer holds no complete credentials"}
	}
	return cache.Credentials{
		AccessKeyID:     aws.ToString(rc.AccessKeyId),
		SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken:    aws.ToString(rc.SessionToken),
		// The portal gives milliseconds since the epoch.
		Expiration: time.UnixMilli(rc.Expiration).UTC(),
		AccountID:  accountID,
	}, nil
}

func (c *Client) getRoleCredentials(ctx context.Context, token, accountID, role string) (*sso.GetRoleCredentialsOutput, error) {
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	out, err := c.portal.GetRoleCredentials(cctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(token),
		AccountId:   aws.String(accountID),
		RoleName:    aws.String(role),
	})
	if err != nil {
		return nil, c.portalError("GetRoleCredentials", err, token)
	}
	return out, nil
}

// Accounts lists every account the user can reach, by name.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	tok, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	var out []Account
	var next *string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, &APIError{Op: "ListAccounts", Message: fmt.Sprintf("more than %d pages", maxPages)}
		}
		cctx, cancel := context.WithTimeout(ctx, CallTimeout)
		res, err := c.portal.ListAccounts(cctx, &sso.ListAccountsInput{
			AccessToken: aws.String(tok.AccessToken),
			MaxResults:  aws.Int32(pageSize),
			NextToken:   next,
		})
		cancel()
		if err != nil {
			return nil, c.portalError("ListAccounts", err, tok.AccessToken)
		}
		for _, a := range res.AccountList {
			out = append(out, Account{ID: aws.ToString(a.AccountId), Name: aws.ToString(a.AccountName), Email: aws.ToString(a.EmailAddress)})
		}
		if aws.ToString(res.NextToken) == "" {
			break
		}
		next = res.NextToken
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Roles lists the user's roles in account, sorted.
func (c *Client) Roles(ctx context.Context, accountID string) ([]string, error) {
	tok, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	var next *string
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, &APIError{Op: "ListAccountRoles", Message: fmt.Sprintf("more than %d pages", maxPages)}
		}
		cctx, cancel := context.WithTimeout(ctx, CallTimeout)
		res, err := c.portal.ListAccountRoles(cctx, &sso.ListAccountRolesInput{
			AccessToken: aws.String(tok.AccessToken),
			AccountId:   aws.String(accountID),
			MaxResults:  aws.Int32(pageSize),
			NextToken:   next,
		})
		cancel()
		if err != nil {
			return nil, c.portalError("ListAccountRoles", err, tok.AccessToken)
		}
		for _, r := range res.RoleList {
			out = append(out, aws.ToString(r.RoleName))
		}
		if aws.ToString(res.NextToken) == "" {
			break
		}
		next = res.NextToken
	}
	sort.Strings(out)
	return out, nil
}

// AccountRoles lists every role of every account the user can reach.
func (c *Client) AccountRoles(ctx context.Context) ([]AccountRole, error) {
	accounts, err := c.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []AccountRole
	for _, a := range accounts {
		roles, err := c.Roles(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("account %s (%s): %w", a.ID, a.Name, err)
		}
		for _, r := range roles {
			out = append(out, AccountRole{Account: a, Role: r})
		}
	}
	return out, nil
}

// Logout ends the session at IAM Identity Center (the portal's Logout,
// best effort: the token may already be dead) and removes its token and
// registration files. It returns the files removed. The role credentials
// cached from the session are the caller's to remove: see
// ssocache.SessionProfiles and cache.SSOKey.
func (c *Client) Logout(ctx context.Context) (removed []string, err error) {
	if tok, err := c.opts.Store.LoadToken(c.opts.Session); err == nil && !tok.Expired(c.opts.Now(), 0) {
		cctx, cancel := context.WithTimeout(ctx, CallTimeout)
		_, _ = c.portal.Logout(cctx, &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)})
		cancel()
	}
	removed, err = c.opts.Store.Delete(c.opts.Session)
	if err != nil {
		return removed, fmt.Errorf("removing the SSO login of %s: %w", c.opts.Session.Label(), err)
	}
	return removed, nil
}

// portalError is callError, with an UnauthorizedException (a token the
// portal no longer takes: signed out elsewhere, revoked) turned into a
// *LoginRequiredError.
func (c *Client) portalError(op string, err error, token string) error {
	err = callError(op, err, token)
	if code(err) == "UnauthorizedException" {
		return c.loginRequired("IAM Identity Center no longer accepts the SSO login", err)
	}
	if code(err) == "ResourceNotFoundException" && strings.Contains(op, "Role") {
		return fmt.Errorf("%w (is the account ID and role name right, and is the role assigned to you?)", err)
	}
	return err
}
