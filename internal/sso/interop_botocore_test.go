//go:build unix

package sso

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// botocoreCredentials runs botocore (the AWS CLI's own library, and
// boto3's) for profile dev and returns the access key ID it got.
func botocoreCredentials(t *testing.T, python, home string, stub *testenv.SSOStub) string {
	t.Helper()
	script := `import sys, botocore.session
c = botocore.session.Session(profile="dev").get_credentials().get_frozen_credentials()
sys.stdout.write(c.access_key)`
	return runClient(t, "botocore", home, stub, nil, python, "-c", script)
}

// runClient runs another SDK's program with home's shared files and the
// stand-in as the SSO endpoints, within a minute, and returns its stdout.
func runClient(t *testing.T, what, home string, stub *testenv.SSOStub, extraEnv []string, argv ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(append(testenv.CleanEnv(home), extraEnv...),
		"AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, ".aws", "credentials"),
		"AWS_ENDPOINT_URL_SSO="+stub.URL,
		"AWS_ENDPOINT_URL_SSO_OIDC="+stub.URL,
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", what, err, stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

// botocore's SSOTokenProvider and SSO credential provider use the login
// awsenv cached, renew it in the file as the AWS CLI does, and awsenv
// reads botocore's file back.
func TestBotocoreSharesTheLogin(t *testing.T) {
	python := testenv.LookPath(t, "python3")
	if err := exec.Command(python, "-c", "import botocore.tokens").Run(); err != nil {
		testenv.Require(t, "botocore", "python3 cannot import botocore.tokens (it comes with the AWS CLI)")
	}
	stub := testenv.StartSSOStub(t, nil)
	home, sess := sdkHome(t, stub)
	store := ssocache.Store{Dir: ssocache.DirIn(home)}
	c, err := New(Options{Session: sess, Store: store, OIDCEndpoint: stub.URL, PortalEndpoint: stub.URL, Sleep: (&sleeps{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Login(ctx, LoginOptions{Flow: FlowDevice}); err != nil {
		t.Fatal(err)
	}
	key := botocoreCredentials(t, python, home, stub)
	if issued, ok := stub.Issued(key); !ok || issued.AccountID != "222222222222" || issued.Role != "Developer" {
		t.Fatalf("botocore got %q", key)
	}

	tok, err := store.LoadToken(sess)
	if err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := store.SaveToken(sess, tok); err != nil {
		t.Fatal(err)
	}
	botocoreCredentials(t, python, home, stub)
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Fatalf("botocore renewed %d times, want 1", n)
	}
	renewed, err := store.LoadToken(sess)
	if err != nil {
		t.Fatalf("awsenv cannot read botocore's file: %v", err)
	}
	if renewed.AccessToken == tok.AccessToken || !stub.ValidAccessToken(renewed.AccessToken) || !renewed.Renewable(time.Now()) {
		t.Errorf("after botocore's renewal: new %v, valid %v, renewable %v", renewed.AccessToken != tok.AccessToken, stub.ValidAccessToken(renewed.AccessToken), renewed.Renewable(time.Now()))
	}
	if _, err := c.RoleCredentials(ctx, "111111111111", "ReadOnly"); err != nil {
		t.Fatal(err)
	}
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Errorf("awsenv renewed botocore's fresh token: %d renewals", n)
	}
}
