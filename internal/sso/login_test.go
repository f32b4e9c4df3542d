//go:build unix

package sso

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/testenv"
)

func TestLoginAuthCode(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	b := &browser{t: t}
	var out strings.Builder
	tok, err := f.client.Login(context.Background(), LoginOptions{Out: &out, OpenBrowser: b.Open})
	if err != nil {
		t.Fatal(err)
	}
	if b.status != http.StatusOK || !strings.Contains(b.body, "signed in") {
		t.Errorf("the browser got %d %q", b.status, b.body)
	}
	if len(b.opened) != 1 || !strings.Contains(out.String(), b.opened[0]) {
		t.Errorf("opened %q; printed %q", b.opened, out.String())
	}
	u, _ := url.Parse(b.opened[0])
	q := u.Query()
	if q.Get("scopes") != "sso:account:access" || q.Get("code_challenge_method") != "S256" || !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") {
		t.Errorf("authorization URL %s", u)
	}
	if !f.stub.ValidAccessToken(tok.AccessToken) || tok.RefreshToken == "" || tok.ClientSecret == "" {
		t.Errorf("token %+v", tok)
	}
	if want := f.clock.Now().Add(time.Hour); !tok.ExpiresAt.Equal(want) {
		t.Errorf("expiresAt %v, want %v", tok.ExpiresAt, want)
	}
	// The files are the CLI's: its names, 0600 in 0700.
	if got := f.store.TokenPath(corpSession); !strings.HasSuffix(got, cache.SSOTokenKey("corp", "")+".json") {
		t.Errorf("token file %s", got)
	}
	for _, p := range []string{f.store.TokenPath(corpSession), f.store.RegistrationPath(corpSession)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v", p, fi.Mode().Perm())
		}
	}
	reg, err := f.store.LoadRegistration(corpSession)
	if err != nil || !reg.ForAuthCode() {
		t.Fatalf("registration %+v, %v", reg, err)
	}
	assertNoSecrets(t, out.String(), secretsIn(t, f.store, corpSession))

	// A second login reuses the registration.
	if _, err := f.client.Login(context.Background(), LoginOptions{OpenBrowser: (&browser{t: t}).Open}); err != nil {
		t.Fatal(err)
	}
	if n := f.stub.Calls("RegisterClient"); n != 1 {
		t.Errorf("RegisterClient called %d times, want 1", n)
	}
	if n := f.stub.Calls("CreateToken:authorization_code"); n != 2 {
		t.Errorf("CreateToken:authorization_code called %d times, want 2", n)
	}
}

// A request to the listener without the login's state (another page, a
// scan) is refused and does not end the wait.
func TestLoginAuthCodeIgnoresStrangers(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	var strangerStatus int
	b := &browser{t: t, before: func(u string) {
		pu, _ := url.Parse(u)
		redirect := pu.Query().Get("redirect_uri")
		resp, err := http.Get(redirect + "?code=forged&state=wrong")
		if err != nil {
			t.Errorf("stranger: %v", err)
			return
		}
		resp.Body.Close()
		strangerStatus = resp.StatusCode
	}}
	if _, err := f.client.Login(context.Background(), LoginOptions{OpenBrowser: b.Open}); err != nil {
		t.Fatal(err)
	}
	if strangerStatus != http.StatusBadRequest {
		t.Errorf("a forged redirect got %d, want 400", strangerStatus)
	}
}

func TestLoginAuthCodeDenied(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.Deny = true })
	_, err := f.client.Login(context.Background(), LoginOptions{OpenBrowser: (&browser{t: t}).Open})
	if err == nil || !strings.Contains(err.Error(), "access_denied") {
		t.Fatalf("err = %v, want access_denied", err)
	}
	if _, err := f.store.LoadToken(corpSession); err == nil {
		t.Error("a denied login left a token")
	}
}

// Nobody opens the page: the wait ends with a message, not a hang.
func TestLoginAuthCodeWaitEnds(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := f.client.Login(ctx, LoginOptions{OpenBrowser: func(string) error { cancel(); return nil }})
	if err == nil {
		t.Fatal("a login nobody approved succeeded")
	}
}

func TestLoginDevice(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) {
		s.SlowDowns, s.Pendings, s.Interval = 1, 2, 2
	})
	b := &browser{t: t}
	var out strings.Builder
	tok, err := f.client.Login(context.Background(), LoginOptions{Flow: FlowDevice, Out: &out, OpenBrowser: b.Open})
	if err != nil {
		t.Fatal(err)
	}
	if !f.stub.ValidAccessToken(tok.AccessToken) {
		t.Error("the token is not one the stand-in handed out")
	}
	// slow_down adds 5 s to the 2 s interval, and it stays so.
	want := []time.Duration{7 * time.Second, 7 * time.Second, 7 * time.Second}
	if len(f.sleeps.d) != len(want) {
		t.Fatalf("slept %v, want %v", f.sleeps.d, want)
	}
	for i := range want {
		if f.sleeps.d[i] != want[i] {
			t.Errorf("slept %v, want %v", f.sleeps.d, want)
		}
	}
	if n := f.stub.Calls("CreateToken:device_code"); n != 4 {
		t.Errorf("%d polls, want 4", n)
	}
	if len(b.opened) != 1 || !strings.Contains(b.opened[0], "user_code=") || !strings.Contains(out.String(), "enter the code") {
		t.Errorf("opened %q, printed %q", b.opened, out.String())
	}
	if reg, err := f.store.LoadRegistration(corpSession); err != nil || reg.ForAuthCode() {
		t.Errorf("device registration %+v, %v", reg, err)
	}
}

func TestLoginDeviceNoBrowser(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.Pendings = 1 })
	var out strings.Builder
	opened := false
	_, err := f.client.Login(context.Background(), LoginOptions{Flow: FlowDevice, NoBrowser: true, Out: &out, OpenBrowser: func(string) error { opened = true; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if opened || !strings.Contains(out.String(), f.stub.URL+"/device") {
		t.Errorf("opened %v, printed %q", opened, out.String())
	}
}

func TestLoginDeviceExpired(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.DeviceExpired = true })
	_, err := f.client.Login(context.Background(), LoginOptions{Flow: FlowDevice})
	if err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("err = %v", err)
	}
}

// The two flows share one registration file, as in the CLI; each replaces
// the other's registration.
func TestFlowsReplaceEachOthersRegistration(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	ctx := context.Background()
	if _, err := f.client.Login(ctx, LoginOptions{Flow: FlowDevice}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Login(ctx, LoginOptions{Flow: FlowAuthCode, OpenBrowser: (&browser{t: t}).Open}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Login(ctx, LoginOptions{Flow: FlowAuthCode, OpenBrowser: (&browser{t: t}).Open}); err != nil {
		t.Fatal(err)
	}
	if n := f.stub.Calls("RegisterClient"); n != 2 {
		t.Errorf("RegisterClient %d times, want 2", n)
	}
}

// An expired registration is replaced by a new one.
func TestLoginReregistersWhenExpired(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.RegistrationLifetime = 20 * time.Minute })
	ctx := context.Background()
	if _, err := f.client.Login(ctx, LoginOptions{Flow: FlowDevice}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Minute) // 10 minutes left: inside the window
	if _, err := f.client.Login(ctx, LoginOptions{Flow: FlowDevice}); err != nil {
		t.Fatal(err)
	}
	if n := f.stub.Calls("RegisterClient"); n != 2 {
		t.Errorf("RegisterClient %d times, want 2", n)
	}
}

func TestChooseFlow(t *testing.T) {
	legacy := corpSession
	legacy.Name = ""
	f := newFixture(t, corpSession, nil)
	lc := f.newClient(t, legacy)
	open := func(string) error { return nil }
	tests := []struct {
		name string
		c    *Client
		opts LoginOptions
		want Flow
	}{
		{"asked for the device flow", f.client, LoginOptions{Flow: FlowDevice, OpenBrowser: open}, FlowDevice},
		{"a browser", f.client, LoginOptions{OpenBrowser: open}, FlowAuthCode},
		{"legacy profile", lc, LoginOptions{OpenBrowser: open}, FlowDevice},
	}
	for _, tt := range tests {
		if got := tt.c.ChooseFlow(tt.opts); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if _, err := lc.Login(context.Background(), LoginOptions{Flow: FlowAuthCode, OpenBrowser: open}); err == nil || !strings.Contains(err.Error(), "sso-session") {
		t.Errorf("legacy authorization code login: %v", err)
	}
}

// The whole flow with real parts: OpenBrowser runs $BROWSER, here curl,
// which follows the authorization page to the loopback listener.
func TestLoginAuthCodeThroughBROWSER(t *testing.T) {
	curl := testenv.LookPath(t, "curl")
	f := newFixture(t, corpSession, nil)
	t.Setenv("BROWSER", curl+" -sSfL -o /dev/null %s")
	var out strings.Builder
	tok, err := f.client.Login(context.Background(), LoginOptions{Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !f.stub.ValidAccessToken(tok.AccessToken) {
		t.Error("no valid token")
	}
}

// A token path that is a symbolic link (planted, or left by a tool) is
// not read, and a login replaces the link, never writing through it.
func TestLoginReplacesASymlinkedToken(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	elsewhere := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(elsewhere, []byte(`{"accessToken": "planted", "expiresAt": "2099-01-01T00:00:00Z"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(f.store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, f.store.TokenPath(corpSession)); err != nil {
		t.Fatal(err)
	}
	var lr *LoginRequiredError
	if _, err := f.client.Token(context.Background()); !errors.As(err, &lr) {
		t.Fatalf("a symlinked token was used: %v", err)
	}
	login(t, f)
	if b, _ := os.ReadFile(elsewhere); !strings.Contains(string(b), "planted") {
		t.Error("the login wrote through the link")
	}
	if fi, err := os.Lstat(f.store.TokenPath(corpSession)); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the token path is not a regular file now: %v", err)
	}
}

// FlowAuto with no opener given and no browser here is the device code
// flow: the default opener does not count as a browser.
func TestLoginAutoWithoutBrowser(t *testing.T) {
	for _, k := range []string{"BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME"} {
		t.Setenv(k, "")
	}
	f := newFixture(t, corpSession, nil)
	if _, err := f.client.Login(context.Background(), LoginOptions{NoBrowser: true}); err != nil {
		t.Fatal(err)
	}
	if n := f.stub.Calls("StartDeviceAuthorization"); n != 1 || f.stub.Calls("Authorize") != 0 {
		t.Errorf("%d device authorizations, %d authorize pages; want the device code flow", n, f.stub.Calls("Authorize"))
	}
}
