//go:build unix

package sso

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

func login(t *testing.T, f *fixture) *ssocache.Token {
	t.Helper()
	tok, err := f.client.Login(context.Background(), LoginOptions{Flow: FlowDevice})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenRenewsSilently(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		t.Run(map[bool]string{false: "same refresh token", true: "rotated refresh token"}[rotate], func(t *testing.T) {
			f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.RotateRefresh = rotate })
			first := login(t, f)
			ctx := context.Background()

			// Fresh: no call.
			if tok, err := f.client.Token(ctx); err != nil || tok.AccessToken != first.AccessToken {
				t.Fatalf("fresh token: %v", err)
			}
			// Within the renew window: renewed ahead of time.
			f.clock.Advance(50 * time.Minute)
			second, err := f.client.Token(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if second.AccessToken == first.AccessToken || !f.stub.ValidAccessToken(second.AccessToken) {
				t.Error("not renewed inside the window")
			}
			// Expired: renewed, and written back for the next process.
			f.clock.Advance(2 * time.Hour)
			third, err := f.client.Token(ctx)
			if err != nil {
				t.Fatal(err)
			}
			onDisk, err := f.store.LoadToken(corpSession)
			if err != nil || onDisk.AccessToken != third.AccessToken || !onDisk.ExpiresAt.Equal(f.clock.Now().Add(time.Hour)) {
				t.Errorf("on disk %+v, %v", onDisk, err)
			}
			if rotate == (onDisk.RefreshToken == first.RefreshToken) {
				t.Errorf("refresh token rotated=%v but file has first=%v", rotate, onDisk.RefreshToken == first.RefreshToken)
			}
			if n := f.stub.Calls("CreateToken:refresh_token"); n != 2 {
				t.Errorf("%d refreshes, want 2", n)
			}
			if n := f.stub.Calls("StartDeviceAuthorization"); n != 1 {
				t.Errorf("%d logins, want 1: renewal must not sign in", n)
			}
		})
	}
}

func TestTokenLoginRequired(t *testing.T) {
	tests := []struct {
		name    string
		set     func(*testenv.SSOStub)
		after   func(t *testing.T, f *fixture)
		advance time.Duration
		reason  string
	}{
		{name: "never logged in", reason: "no cached SSO login"},
		{name: "session ended (invalid_grant)", after: func(t *testing.T, f *fixture) { login(t, f); f.stub.EndSessions() }, advance: 2 * time.Hour, reason: "refused to renew"},
		{name: "past the session length", set: func(s *testenv.SSOStub) { s.SessionLifetime = 3 * time.Hour }, after: func(t *testing.T, f *fixture) { login(t, f) }, advance: 4 * time.Hour, reason: "refused to renew"},
		{name: "registration expired", set: func(s *testenv.SSOStub) { s.RegistrationLifetime = 2 * time.Hour }, after: func(t *testing.T, f *fixture) { login(t, f) }, advance: 3 * time.Hour, reason: "registration expired"},
		{name: "no refresh token", set: func(s *testenv.SSOStub) { s.NoRefreshToken = true }, after: func(t *testing.T, f *fixture) { login(t, f) }, advance: 2 * time.Hour, reason: "no refresh token"},
		{name: "client unknown (invalid_client)", after: func(t *testing.T, f *fixture) {
			tok := login(t, f)
			tok.ClientSecret = "not-the-secret"
			if err := f.store.SaveToken(corpSession, tok); err != nil {
				t.Fatal(err)
			}
		}, advance: 2 * time.Hour, reason: "refused to renew"},
		{name: "another start URL", after: func(t *testing.T, f *fixture) {
			tok := login(t, f)
			tok.StartURL = "https://other.awsapps.com/start"
			if err := f.store.SaveToken(corpSession, tok); err != nil {
				t.Fatal(err)
			}
		}, reason: "another start URL"},
		{name: "unreadable file", after: func(t *testing.T, f *fixture) {
			login(t, f)
			if err := os.WriteFile(f.store.TokenPath(corpSession), []byte("{"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, reason: "cannot be used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, corpSession, tt.set)
			if tt.after != nil {
				tt.after(t, f)
			}
			secrets := secretsIn(t, f.store, corpSession)
			f.clock.Advance(tt.advance)
			_, err := f.client.Token(context.Background())
			var lr *LoginRequiredError
			if !errors.As(err, &lr) {
				t.Fatalf("err = %v, want a *LoginRequiredError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.reason) || !strings.Contains(msg, "awsenv login --sso-session corp") {
				t.Errorf("message %q lacks %q or the command", msg, tt.reason)
			}
			assertNoSecrets(t, msg, secrets)
			if got := ForProfile(err, "prod").Error(); !strings.Contains(got, "`awsenv login prod`") {
				t.Errorf("for a profile: %q", got)
			}
		})
	}
}

// A renewal that cannot reach the service, while the token is still
// valid, hands out the token; once it has expired, the error says what
// failed and is no LoginRequiredError: logging in again would not help.
func TestTokenRenewalNetworkFailure(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	first := login(t, f)
	dead := f.newClient(t, corpSession)
	dead.opts.OIDCEndpoint = "http://127.0.0.1:1"
	c, err := New(dead.opts)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(50 * time.Minute)
	tok, err := c.Token(context.Background())
	if err != nil || tok.AccessToken != first.AccessToken {
		t.Fatalf("inside the window: %v", err)
	}
	f.clock.Advance(time.Hour)
	_, err = c.Token(context.Background())
	var lr *LoginRequiredError
	if err == nil || errors.As(err, &lr) || !strings.Contains(err.Error(), "CreateToken") {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, err.Error(), secretsIn(t, f.store, corpSession))
}

func TestRenewForces(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	first := login(t, f)
	tok, err := f.client.Renew(context.Background())
	if err != nil || tok.AccessToken == first.AccessToken {
		t.Fatalf("Renew: %v", err)
	}
}

// Panes that all find the token expired at once renew it once: the
// refresh token may be single-use, and a second renewal with it would
// fail.
func TestConcurrentRenewalsRenewOnce(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.RotateRefresh = true })
	login(t, f)
	f.clock.Advance(2 * time.Hour)
	const n = 8
	errs := make(chan error, n)
	tokens := make(chan string, n)
	for i := 0; i < n; i++ {
		go func() {
			c := f.newClient(t, corpSession)
			tok, err := c.Token(context.Background())
			if err == nil {
				tokens <- tok.AccessToken
			}
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(tokens)
	seen := map[string]bool{}
	for tok := range tokens {
		seen[tok] = true
	}
	if got := f.stub.Calls("CreateToken:refresh_token"); got != 1 || len(seen) != 1 {
		t.Errorf("%d renewals, %d tokens; want 1 and 1", got, len(seen))
	}
}

// A login the AWS CLI v2 cached (its file, byte for byte as json.dumps
// writes it) is renewed by awsenv, and the rewritten file keeps the CLI's
// fields.
func TestRenewsACLILogin(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	data, err := os.ReadFile("testdata/cli-v2-expired-token.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(f.store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.store.TokenPath(corpSession), data, 0o600); err != nil {
		t.Fatal(err)
	}
	f.stub.Seed("EXAMPLEclientid", "EXAMPLEclientsecret", "aorEXAMPLErefreshtoken")
	tok, err := f.client.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !f.stub.ValidAccessToken(tok.AccessToken) || tok.ClientID != "EXAMPLEclientid" || tok.RefreshToken != "aorEXAMPLErefreshtoken" {
		t.Errorf("renewed %+v", tok)
	}
	var raw map[string]any
	data, _ = os.ReadFile(f.store.TokenPath(corpSession))
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the rewritten file lacks %s", k)
		}
	}
	if raw["expiresAt"] != "2026-12-01T10:00:00Z" || raw["registrationExpiresAt"] != "2027-03-01T09:00:00Z" {
		t.Errorf("times %v, %v", raw["expiresAt"], raw["registrationExpiresAt"])
	}
}
