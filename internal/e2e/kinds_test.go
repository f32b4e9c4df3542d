package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// TestProfileKinds covers every kind of profile the SDK resolves, each
// reaching its credentials through awsenv.
func TestProfileKinds(t *testing.T) {
	moto := testenv.StartMoto(t)
	sso := ssoPortal(t)
	home := t.TempDir()
	tokenFile := filepath.Join(home, "token.jwt")
	testenv.WriteFile(t, tokenFile, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln", 0o600)
	processScript := filepath.Join(home, "creds.sh")
	testenv.WriteFile(t, processScript, `#!/bin/sh
echo '{"Version":1,"AccessKeyId":"AKIAPROCESSEXAMPLE01","SecretAccessKey":"process-secret"}'
`, 0o700)
	config := baseConfig + `
[profile chained]
role_arn = arn:aws:iam::123456789012:role/Second-Role
source_profile = project1
role_session_name = chained-session
external_id = ext-123

[profile envsource]
role_arn = arn:aws:iam::123456789012:role/Env-Role
credential_source = Environment

[profile process]
credential_process = ` + processScript + `

[profile webid]
role_arn = arn:aws:iam::123456789012:role/Web-Role
web_identity_token_file = ` + tokenFile + `
role_session_name = web

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-west-1

[profile sso-expired]
sso_session = expired
sso_account_id = 123456789012
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[sso-session expired]
sso_start_url = https://expired.awsapps.com/start
sso_region = eu-west-1
`
	writeSSOToken(t, home, "corp", time.Now().Add(time.Hour))
	writeSSOToken(t, home, "expired", time.Now().Add(-time.Hour))

	f := newFixture(t, config, baseCredentials, moto.URL())
	f.home = home
	for i, kv := range f.env {
		if strings.HasPrefix(kv, "HOME=") {
			f.env[i] = "HOME=" + home
		}
	}
	testenv.WriteFile(t, filepath.Join(home, ".aws", "config"), config, 0o600)
	testenv.WriteFile(t, filepath.Join(home, ".aws", "credentials"), baseCredentials, 0o600)
	env := f.with("AWSENV_SHELL=bash", "AWS_ENDPOINT_URL_SSO="+sso)

	for _, tc := range []struct {
		profile   string
		extraEnv  []string
		wantKey   string // prefix of AWS_ACCESS_KEY_ID
		wantCalls map[string]int
	}{
		{"chained", nil, "ASIA", map[string]int{"AssumeRole": 2}},
		{"envsource", []string{"AWS_ACCESS_KEY_ID=" + accessKey, "AWS_SECRET_ACCESS_KEY=" + secretKey}, "ASIA", map[string]int{"AssumeRole": 1}},
		{"process", nil, "AKIAPROCESSEXAMPLE01", nil},
		{"webid", nil, "ASIA", map[string]int{"AssumeRoleWithWebIdentity": 1}},
		{"sso", nil, "ASIASSOEXAMPLE000001", nil},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			before := map[string]int{}
			for action := range tc.wantCalls {
				before[action] = moto.Calls(t, action)
			}
			out, stderr, code := f.awsenv(append(append([]string{}, env...), tc.extraEnv...), "use", tc.profile, "--refresh")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(out, "export AWS_ACCESS_KEY_ID='"+tc.wantKey) {
				t.Errorf("output lacks key %s...: %s", tc.wantKey, strings.Split(out, "\n")[0])
			}
			for action, want := range tc.wantCalls {
				if got := moto.Calls(t, action) - before[action]; got != want {
					t.Errorf("%s calls: %d, want %d", action, got, want)
				}
			}
		})
	}

	t.Run("sso login expired", func(t *testing.T) {
		out, stderr, code := f.awsenv(env, "use", "sso-expired")
		if code != 1 || out != "" || !strings.Contains(stderr, "run `awsenv login sso-expired`") {
			t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
		}
	})
}

// writeSSOToken writes the token cache entry `aws sso login` leaves for
// an sso-session: named by the SHA-1 of the session name.
func writeSSOToken(t *testing.T, home, session string, expires time.Time) {
	sum := sha1.Sum([]byte(session))
	token, _ := json.Marshal(map[string]string{
		"accessToken": "sso-access-token-" + session,
		"expiresAt":   expires.UTC().Format(time.RFC3339),
		"region":      "eu-west-1",
		"startUrl":    "https://" + session + ".awsapps.com/start",
	})
	testenv.WriteFile(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), string(token), 0o600)
}

// ssoPortal stands in for the SSO portal's GetRoleCredentials, which moto
// does not emulate; it checks the bearer token the SDK read from the cache.
func ssoPortal(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/federation/credentials" || r.Header.Get("x-amz-sso_bearer_token") != "sso-access-token-corp" ||
			r.URL.Query().Get("role_name") != "Admin" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"Session token not found or invalid"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"roleCredentials": map[string]any{
			"accessKeyId":     "ASIASSOEXAMPLE000001",
			"secretAccessKey": "sso-secret",
			"sessionToken":    "sso-session-token",
			"expiration":      time.Now().Add(time.Hour).UnixMilli(),
		}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
