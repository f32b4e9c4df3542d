package ssocache

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

var corp = Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1"}

// copyFixture puts a file of testdata into store under key, 0600.
func copyFixture(t *testing.T, store Store, fixture, key string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store.Path(key), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The fixtures are what the AWS CLI v2 writes: Python's json.dumps with
// its default separators, times as botocore's _serialize_utc_timestamp.
func TestReadCLIFiles(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	copyFixture(t, store, "cli-v2-token.json", corp.TokenKey())
	copyFixture(t, store, "cli-v2-registration.json", corp.RegistrationKey())

	tok, err := store.LoadToken(corp)
	if err != nil {
		t.Fatal(err)
	}
	want := Token{
		StartURL: corp.StartURL, Region: "eu-west-1", AccessToken: "aoaEXAMPLEaccesstoken",
		ExpiresAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), ClientID: "EXAMPLEclientid",
		ClientSecret: "EXAMPLEclientsecret", RegistrationExpiresAt: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC),
		RefreshToken: "aorEXAMPLErefreshtoken",
	}
	tok.extra = nil
	if !equalTokens(*tok, want) {
		t.Errorf("token = %+v\nwant %+v", *tok, want)
	}
	if now := want.ExpiresAt.Add(-time.Hour); tok.Expired(now, 15*time.Minute) || !tok.Renewable(now) {
		t.Error("a token with an hour left is expired or not renewable")
	}
	if !tok.Expired(want.ExpiresAt.Add(-10*time.Minute), 15*time.Minute) {
		t.Error("a token inside the renew window is not due")
	}
	reg, err := store.LoadRegistration(corp)
	if err != nil {
		t.Fatal(err)
	}
	if !reg.ForAuthCode() || reg.ClientID != "EXAMPLEclientid" || reg.Scopes[0] != "sso:account:access" {
		t.Errorf("registration = %+v", reg)
	}
}

func equalTokens(a, b Token) bool {
	a.extra, b.extra = nil, nil
	return a.StartURL == b.StartURL && a.Region == b.Region && a.AccessToken == b.AccessToken &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.ClientID == b.ClientID && a.ClientSecret == b.ClientSecret &&
		a.RegistrationExpiresAt.Equal(b.RegistrationExpiresAt) && a.RefreshToken == b.RefreshToken
}

func TestLegacyToken(t *testing.T) {
	legacy := Session{StartURL: "https://legacy.awsapps.com/start", Region: "us-east-1"}
	store := Store{Dir: t.TempDir()}
	copyFixture(t, store, "cli-v1-legacy-token.json", legacy.TokenKey())
	tok, err := store.LoadToken(legacy)
	if err != nil {
		t.Fatal(err)
	}
	// botocore once wrote "…UTC"; it still reads so.
	if !tok.ExpiresAt.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) || tok.Renewable(time.Time{}) {
		t.Errorf("legacy token = %+v", tok)
	}
}

// A rewrite keeps what awsenv does not know and writes the CLI's forms.
func TestTokenRoundTrip(t *testing.T) {
	in := `{"startUrl": "u", "region": "r", "accessToken": "a", "expiresAt": "2026-12-01T10:00:00.5Z", "futureField": {"x": [1, 2]}}`
	var tok Token
	if err := json.Unmarshal([]byte(in), &tok); err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = time.Date(2026, 12, 1, 11, 0, 0, 0, time.FixedZone("CET", 3600))
	out, err := json.Marshal(&tok)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got["expiresAt"] != "2026-12-01T10:00:00Z" {
		t.Errorf("expiresAt = %v, want UTC with Z", got["expiresAt"])
	}
	if _, ok := got["futureField"]; !ok {
		t.Error("an unknown field was dropped")
	}
	for _, k := range []string{"clientId", "refreshToken", "registrationExpiresAt"} {
		if _, ok := got[k]; ok {
			t.Errorf("empty %s written", k)
		}
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct{ name, content string }{
		{"not JSON", "{"},
		{"no access token", `{"expiresAt": "2026-12-01T10:00:00Z"}`},
		{"no expiry", `{"accessToken": "a"}`},
		{"bad time", `{"accessToken": "a", "expiresAt": "soon"}`},
		{"number for a string", `{"accessToken": 5, "expiresAt": "2026-12-01T10:00:00Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := Store{Dir: t.TempDir()}
			if err := os.WriteFile(store.TokenPath(corp), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := store.LoadToken(corp)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), store.TokenPath(corp)) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
	if _, err := (Store{Dir: t.TempDir()}).LoadToken(corp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestSaveIsPrivateAndDeleteRemovesBoth(t *testing.T) {
	store := Store{Dir: filepath.Join(t.TempDir(), "sso", "cache")}
	tok := &Token{StartURL: corp.StartURL, Region: corp.Region, AccessToken: "a", ExpiresAt: time.Now()}
	if err := store.SaveToken(corp, tok); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveRegistration(corp, &Registration{ClientID: "c", ClientSecret: "s", ExpiresAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(store.TokenPath(corp))
		di, _ := os.Stat(store.Dir)
		if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
			t.Errorf("file %v, folder %v; want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
		}
	}
	removed, err := store.Delete(corp)
	if err != nil || len(removed) != 2 {
		t.Fatalf("Delete = %v, %v", removed, err)
	}
	if removed, err := store.Delete(corp); err != nil || len(removed) != 0 {
		t.Errorf("second Delete = %v, %v", removed, err)
	}
}

func TestSessions(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config")
	content := `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access, ,

[sso-session broken]
sso_region = eu-west-1

[profile a]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Dev

[profile plain]
region = eu-west-1
`
	if err := os.WriteFile(cfgPath, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := awsconfig.LoadFiles(cfgPath, filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NamedSession(cfg, "corp")
	if err != nil {
		t.Fatal(err)
	}
	if s.Region != "eu-west-1" || len(s.Scopes) != 1 || s.Scopes[0] != "sso:account:access" || !strings.HasSuffix(s.Where, "config:1") {
		t.Errorf("corp = %+v", s)
	}
	if _, err := NamedSession(cfg, "broken"); err == nil || !strings.Contains(err.Error(), "sso_start_url") {
		t.Errorf("broken session: %v", err)
	}
	if _, err := NamedSession(cfg, "none"); err == nil {
		t.Error("a missing session was found")
	}
	p, _ := cfg.Profile("legacy")
	ls, err := ProfileSession(cfg, p)
	if err != nil || ls.Name != "" || ls.StartURL != "https://legacy.awsapps.com/start" {
		t.Errorf("legacy = %+v, %v", ls, err)
	}
	p, _ = cfg.Profile("plain")
	if _, err := ProfileSession(cfg, p); err == nil {
		t.Error("a plain profile has a session")
	}
	if got := SessionProfiles(cfg, s); len(got) != 1 || got[0].Name != "a" {
		t.Errorf("SessionProfiles(corp) = %v", got)
	}
	if got := SessionProfiles(cfg, ls); len(got) != 1 || got[0].Name != "legacy" {
		t.Errorf("SessionProfiles(legacy) = %v", got)
	}
}

func TestParseScopes(t *testing.T) {
	if got := ParseScopes(" a, b ,,c"); strings.Join(got, "|") != "a|b|c" {
		t.Errorf("got %q", got)
	}
	if got := ParseScopes(""); got == nil || len(got) != 0 {
		t.Errorf("empty: got %#v, want an empty non-nil list (the CLI hashes [] unlike None)", got)
	}
}

func TestStatus(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if st := store.Status(corp, now); st.LoggedIn || st.Err != nil || st.Path != store.TokenPath(corp) {
		t.Errorf("no file: %+v", st)
	}
	copyFixture(t, store, "cli-v2-token.json", corp.TokenKey())
	st := store.Status(corp, now)
	if !st.LoggedIn || !st.Renewable || !st.SessionEnd.Equal(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)) || !st.AccessTokenExpires.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("CLI login: %+v", st)
	}
	other := corp
	other.StartURL = "https://other.awsapps.com/start"
	if st := store.Status(other, now); st.LoggedIn || st.OtherStartURL != corp.StartURL {
		t.Errorf("another start URL: %+v", st)
	}
	if err := os.WriteFile(store.TokenPath(corp), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := store.Status(corp, now); st.LoggedIn || st.Err == nil {
		t.Errorf("bad file: %+v", st)
	}
}
