//go:build unix

package sso

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// sdkHome is a home folder with an sso-session profile pointing at the
// stand-in through the SDKs' endpoint variables, set for this test.
func sdkHome(t *testing.T, stub *testenv.SSOStub) (home string, sess ssocache.Session) {
	t.Helper()
	home = t.TempDir()
	cfgPath := filepath.Join(home, ".aws", "config")
	testenv.WriteFile(t, cfgPath, `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 222222222222
sso_role_name = Developer
region = eu-west-1
`, 0o600)
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", cfgPath)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", stub.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO", stub.URL)
	cfg, err := awsconfig.LoadFiles(cfgPath, filepath.Join(home, ".aws", "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	sess, err = ssocache.NamedSession(cfg, "corp")
	if err != nil {
		t.Fatal(err)
	}
	return home, sess
}

func sdkCredentials(t *testing.T) aws.Credentials {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("dev"))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatalf("the Go SDK could not use the login: %v", err)
	}
	return creds
}

// The Go SDK's own SSO provider (ssocreds with the ssooidc token
// provider) uses the login awsenv cached, renews it in the file, and awsenv
// takes the SDK's renewal back.
func TestGoSDKSharesTheLogin(t *testing.T) {
	stub := testenv.StartSSOStub(t, nil)
	home, sess := sdkHome(t, stub)
	store := ssocache.Store{Dir: ssocache.DirIn(home)}
	c, err := New(Options{Session: sess, Store: store, OIDCEndpoint: stub.URL, PortalEndpoint: stub.URL, Sleep: (&sleeps{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Login(ctx, LoginOptions{Flow: FlowAuthCode, OpenBrowser: (&browser{t: t}).Open}); err != nil {
		t.Fatal(err)
	}

	creds := sdkCredentials(t)
	issued, ok := stub.Issued(creds.AccessKeyID)
	if !ok || issued.AccountID != "222222222222" || issued.Role != "Developer" || issued.SecretAccessKey != creds.SecretAccessKey {
		t.Fatalf("the SDK got %s, issued %+v", creds.AccessKeyID, issued)
	}

	// The access token has run out: the SDK renews it with the refresh
	// token awsenv stored, and writes it back.
	tok, err := store.LoadToken(sess)
	if err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := store.SaveToken(sess, tok); err != nil {
		t.Fatal(err)
	}
	sdkCredentials(t)
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Fatalf("the SDK renewed %d times, want 1", n)
	}
	renewed, err := store.LoadToken(sess)
	if err != nil {
		t.Fatalf("awsenv cannot read the SDK's file: %v", err)
	}
	if renewed.AccessToken == tok.AccessToken || !stub.ValidAccessToken(renewed.AccessToken) || renewed.RefreshToken == "" || renewed.ClientSecret != tok.ClientSecret {
		t.Errorf("after the SDK's renewal: new access token %v, valid %v, refresh token kept %v, registration kept %v",
			renewed.AccessToken != tok.AccessToken, stub.ValidAccessToken(renewed.AccessToken), renewed.RefreshToken != "", renewed.ClientSecret == tok.ClientSecret)
	}
	mine, err := c.RoleCredentials(ctx, "222222222222", "Developer")
	if err != nil {
		t.Fatal(err)
	}
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Errorf("awsenv renewed the SDK's fresh token: %d renewals", n)
	}

	// The role credentials work against an AWS API (moto takes any keys).
	moto := testenv.StartMoto(t)
	client := sts.New(sts.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(moto.URL()),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: mine.AccessKeyID, SecretAccessKey: mine.SecretAccessKey, SessionToken: mine.SessionToken}, nil
		}),
	})
	if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("moto refused the role credentials: %v", err)
	}
}
