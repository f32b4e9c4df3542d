//go:build unix

package sso

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// jsSDK returns the node_modules folder holding the JavaScript SDK v3's
// credential providers, installed once into ~/.cache/awsenv-test/npm.
func jsSDK(t *testing.T) (node, modules string) {
	t.Helper()
	node = testenv.LookPath(t, "node")
	npm := testenv.LookPath(t, "npm")
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(home, ".cache", "awsenv-test", "npm")
	modules = filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, "@aws-sdk", "credential-providers", "package.json")); err == nil {
		return node, modules
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--silent", "@aws-sdk/credential-providers")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		testenv.Require(t, "@aws-sdk/credential-providers", "npm install failed: "+err.Error()+"\n"+string(out))
	}
	return node, modules
}

// fromSSO runs the JavaScript SDK's fromSSO for profile dev and returns
// the access key ID it got.
func fromSSO(t *testing.T, node, modules, home string, stub *testenv.SSOStub) string {
	t.Helper()
	script := `const { fromSSO } = require("@aws-sdk/credential-providers");
fromSSO({ profile: "dev" })().then(
  (c) => process.stdout.write(c.accessKeyId),
  (e) => { process.stderr.write(String(e.name) + ": " + String(e.message)); process.exit(1); });`
	return runClient(t, "fromSSO", home, stub, []string{"NODE_PATH=" + modules}, node, "-e", script)
}

// The JavaScript SDK v3's fromSSO uses the login awsenv cached, renews it
// in the file when it has expired, and awsenv reads the JS SDK's file.
func TestJSSDKSharesTheLogin(t *testing.T) {
	node, modules := jsSDK(t)
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
	key := fromSSO(t, node, modules, home, stub)
	if issued, ok := stub.Issued(key); !ok || issued.AccountID != "222222222222" || issued.Role != "Developer" {
		t.Fatalf("fromSSO got %q", key)
	}

	tok, err := store.LoadToken(sess)
	if err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := store.SaveToken(sess, tok); err != nil {
		t.Fatal(err)
	}
	fromSSO(t, node, modules, home, stub)
	if n := stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Fatalf("the JS SDK renewed %d times, want 1", n)
	}
	data, err := os.ReadFile(store.TokenPath(sess))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	renewed, err := store.LoadToken(sess)
	if err != nil {
		t.Fatalf("awsenv cannot read the JS SDK's file: %v", err)
	}
	if renewed.AccessToken == tok.AccessToken || !stub.ValidAccessToken(renewed.AccessToken) || !renewed.Renewable(time.Now()) {
		t.Errorf("after the JS SDK's renewal: new %v, valid %v, renewable %v", renewed.AccessToken != tok.AccessToken, stub.ValidAccessToken(renewed.AccessToken), renewed.Renewable(time.Now()))
	}
	if _, err := c.RoleCredentials(ctx, "111111111111", "ReadOnly"); err != nil {
		t.Fatal(err)
	}
}
