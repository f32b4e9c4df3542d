//go:build unix

package resolve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/sso"
	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

const ssoConfig = `[profile prod]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly
region = eu-west-1
[profile onprod]
role_arn = arn:aws:iam::111111111111:role/Deploy
source_profile = prod
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
`

// ssoLogin signs in to the stand-in as `awsenv login` does, with the
// device code flow, which the stand-in approves at once.
func ssoLogin(t *testing.T, stub *testenv.SSOStub) ssocache.Session {
	t.Helper()
	store, err := ssocache.DefaultStore()
	if err != nil {
		t.Fatal(err)
	}
	sess := ssocache.Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1"}
	c, err := sso.New(sso.Options{Session: sess, Store: store, OIDCEndpoint: stub.URL, PortalEndpoint: stub.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), sso.LoginOptions{Flow: sso.FlowDevice, NoBrowser: true}); err != nil {
		t.Fatal(err)
	}
	return sess
}

// expireAccessToken makes the cached access token one that has run out,
// for the file and for the stand-in alike.
func expireAccessToken(t *testing.T, stub *testenv.SSOStub, sess ssocache.Session) {
	t.Helper()
	store, _ := ssocache.DefaultStore()
	tok, err := store.LoadToken(sess)
	if err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := store.SaveToken(sess, tok); err != nil {
		t.Fatal(err)
	}
	stub.RevokeAccessTokens()
}

// dropCLICache removes the role credentials cached in ~/.aws/cli/cache,
// as their end does.
func dropCLICache(t *testing.T) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(os.Getenv("HOME"), ".aws", "cli", "cache")); err != nil {
		t.Fatal(err)
	}
}

// SSO role credentials are cached in the AWS CLI's cache under its key,
// as the CLI v2 writes them; an expired access token is renewed with the
// refresh token; a session that is over asks for `awsenv login PROFILE`.
func TestSSO(t *testing.T) {
	cfg := setup(t, ssoConfig, "", &fakeSTS{})
	stub := testenv.StartSSOStub(t, nil)
	t.Setenv("AWS_ENDPOINT_URL_SSO", stub.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", stub.URL)
	sess := ssoLogin(t, stub)
	get := func(refresh bool) (creds.Credentials, error) {
		return Resolve(context.Background(), cfg, creds.Request{Profile: "prod", Refresh: refresh})
	}

	c, err := get(false)
	if err != nil {
		t.Fatal(err)
	}
	issued, ok := stub.Issued(c.AccessKeyID)
	if !ok || issued.Role != "ReadOnly" || c.Expires.IsZero() {
		t.Fatalf("got %s expiring %v, not the stand-in's ReadOnly credentials", c.AccessKeyID, c.Expires)
	}
	p, _ := cfg.Profile("prod")
	raw, err := os.ReadFile(filepath.Join(os.Getenv("HOME"), ".aws", "cli", "cache", cache.SSOKey(p)+".json"))
	if err != nil {
		t.Fatalf("no AWS CLI cache entry under the CLI's key: %v", err)
	}
	if !strings.Contains(string(raw), `"ProviderType":"sso"`) || !strings.Contains(string(raw), `"AccountId":"111111111111"`) {
		t.Errorf("cache entry %s", raw)
	}

	// Again: a cache hit, no call.
	again, err := get(false)
	if err != nil || again.AccessKeyID != c.AccessKeyID || stub.Calls("GetRoleCredentials") != 1 {
		t.Errorf("second use: %v, %d GetRoleCredentials calls; want the cached credentials", err, stub.Calls("GetRoleCredentials"))
	}

	// The access token runs out, and the role credentials with it:
	// renewed silently.
	expireAccessToken(t, stub, sess)
	dropCLICache(t)
	if _, err := get(true); err != nil {
		t.Fatalf("with an expired access token: %v", err)
	}
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Errorf("%d refresh_token grants, want 1", n)
	}

	// The session ends: a login is needed, and the message says which.
	stub.EndSessions()
	expireAccessToken(t, stub, sess)
	dropCLICache(t)
	for _, profile := range []string{"prod", "onprod"} {
		_, err = Resolve(context.Background(), cfg, creds.Request{Profile: profile, Refresh: true})
		var lr *sso.LoginRequiredError
		if !errors.As(err, &lr) || !strings.Contains(err.Error(), "run `awsenv login "+profile+"`") || strings.Contains(err.Error(), "aws sso login") {
			t.Errorf("%s after the session ended: %v", profile, err)
		}
	}
}
