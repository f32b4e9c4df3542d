//go:build unix

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

const ssoTestConfig = "# mine\r\n[profile corp-admin]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\nsso_role_name = AdministratorAccess\r\n\r\n[sso-session corp]\r\nsso_start_url = https://corp.awsapps.com/start\r\nsso_region = eu-west-1\r\n"

var corp = ssocache.Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1"}

// ssoHome is a user with config and a stand-in IAM Identity Center.
func ssoHome(t *testing.T, config string) (home string, stub *testenv.SSOStub) {
	t.Helper()
	home = t.TempDir()
	stub = testenv.StartSSOStub(t, nil)
	testenv.WriteFile(t, filepath.Join(home, ".aws", "config"), config, 0o600)
	for k, v := range map[string]string{
		"HOME":                        home,
		"AWS_CONFIG_FILE":             "",
		"AWS_SHARED_CREDENTIALS_FILE": "",
		"AWS_ENDPOINT_URL_SSO":        stub.URL,
		"AWS_ENDPOINT_URL_SSO_OIDC":   stub.URL,
		"AWS_ENDPOINT_URL_STS":        "http://127.0.0.1:1", // never called
		"XDG_CACHE_HOME":              "",
		"BROWSER":                     "false",
	} {
		t.Setenv(k, v)
	}
	return home, stub
}

type ran struct {
	stdout, stderr string
	code           int
}

// runApp runs awsenv with args; asked, when set, answers the terminal.
func runApp(t *testing.T, asked func(string) (string, error), args ...string) ran {
	t.Helper()
	var out, errb strings.Builder
	app := &App{Stdout: &out, Stderr: &errb, Ask: asked, StderrTTY: asked != nil}
	code := run(app, args)
	return ran{out.String(), errb.String(), code}
}

func TestLoginDeviceCode(t *testing.T) {
	home, stub := ssoHome(t, ssoTestConfig)
	r := runApp(t, nil, "login", "--device-code", "--no-browser")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("login: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "signed in to sso-session corp") {
		t.Errorf("stderr %q", r.stderr)
	}
	store := ssocache.Store{Dir: ssocache.DirIn(home)}
	tok, err := store.LoadToken(corp)
	if err != nil || !stub.ValidAccessToken(tok.AccessToken) {
		t.Fatalf("token %v", err)
	}
	for _, s := range []string{tok.AccessToken, tok.RefreshToken, tok.ClientSecret} {
		if strings.Contains(r.stderr, s) {
			t.Error("stderr shows a secret")
		}
	}
}

func TestChooseSSOSession(t *testing.T) {
	two := ssoTestConfig + "[sso-session other]\nsso_start_url = https://o.awsapps.com/start\nsso_region = us-east-1\n"
	for _, tc := range []struct {
		name, config string
		args         []string
		code         int
		want         string
	}{
		{"two sessions", two, []string{"login"}, 2, "2 sso-sessions (corp, other): name one with --sso-session NAME"},
		{"none", "[profile p]\nregion = eu-west-1\n", []string{"login"}, 2, "has no [sso-session NAME] section"},
		{"both", ssoTestConfig, []string{"login", "corp-admin", "--sso-session", "corp"}, 2, "not both"},
		{"not sso", ssoTestConfig + "[profile keys]\naws_access_key_id = AKIA\n", []string{"logout", "keys"}, 1, `profile "keys" does not log in with IAM Identity Center`},
		{"no such", ssoTestConfig, []string{"logout", "--sso-session", "nope"}, 1, "no [sso-session nope] section"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ssoHome(t, tc.config)
			r := runApp(t, nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}
}

func TestSSOProfiles(t *testing.T) {
	home, _ := ssoHome(t, ssoTestConfig)
	if r := runApp(t, nil, "login", "--device-code", "--no-browser"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := runApp(t, nil, "sso", "profiles")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "# BEGIN awsenv sso-session corp\n") || !strings.Contains(r.stdout, "[profile Production-ReadOnly]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nsso_account_name = Production\nregion = eu-west-1\n") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	config := filepath.Join(home, ".aws", "config")
	if b, _ := os.ReadFile(config); string(b) != ssoTestConfig {
		t.Error("sso profiles without --write changed the file")
	}
	r = runApp(t, nil, "sso", "profiles", "--write", "--template", "{account_id}-{role}")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "wrote 3 profiles of sso-session corp to "+config) || !strings.Contains(r.stderr, "kept as "+config+".awsenv-backup-") {
		t.Fatalf("--write: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	b, _ := os.ReadFile(config)
	if !strings.HasPrefix(string(b), ssoTestConfig) || !strings.Contains(string(b), "[profile 222222222222-Developer]\r\n") {
		t.Errorf("config after --write:\n%q", b)
	}
	r = runApp(t, nil, "sso", "profiles", "--write", "--template", "{account_id}-{role}")
	if r.code != 0 || !strings.Contains(r.stderr, "up to date") {
		t.Errorf("second --write: %d %s", r.code, r.stderr)
	}
}

func TestLogout(t *testing.T) {
	home, stub := ssoHome(t, ssoTestConfig)
	if r := runApp(t, nil, "login", "--device-code", "--no-browser"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := runApp(t, nil, "use", "corp-admin", "--shell", "bash"); r.code != 0 || !strings.Contains(r.stdout, "AWS_ACCESS_KEY_ID") {
		t.Fatalf("use: %d %s", r.code, r.stderr)
	}
	store := ssocache.Store{Dir: ssocache.DirIn(home)}
	files := []string{store.TokenPath(corp), store.RegistrationPath(corp), filepath.Join(cache.CLIDirIn(home), roleKey(t, "corp-admin")+".json")}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("before logout: %v", err)
		}
	}
	r := runApp(t, nil, "logout", "corp-admin")
	if r.code != 0 || stub.Calls("Logout") != 1 {
		t.Fatalf("logout: %d, %d Logout calls: %s", r.code, stub.Calls("Logout"), r.stderr)
	}
	for _, f := range files {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) || !strings.Contains(r.stderr, f) {
			t.Errorf("%s: %v after logout, which said %s", f, err, r.stderr)
		}
	}
	if r := runApp(t, nil, "logout"); r.code != 0 || !strings.Contains(r.stderr, "nothing to remove") {
		t.Errorf("second logout: %d %s", r.code, r.stderr)
	}
}

func roleKey(t *testing.T, profile string) string {
	t.Helper()
	cfg, err := loadProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Profile(profile)
	return cache.SSOKey(p)
}

// use at a terminal offers a login when the session is over, and goes on;
// without one it fails with the one line that says what to run.
func TestUseOffersLogin(t *testing.T) {
	ssoHome(t, ssoTestConfig)
	r := runApp(t, nil, "use", "corp-admin", "--shell", "bash")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "run `awsenv login corp-admin`") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("without a terminal: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	var asked []string
	r = runApp(t, func(q string) (string, error) { asked = append(asked, q); return "n", nil }, "use", "corp-admin", "--shell", "bash")
	if r.code != 1 || r.stdout != "" || len(asked) != 1 || asked[0] != "Log in now? [Y/n] " {
		t.Errorf("declined: exit %d, asked %q, stderr %q", r.code, asked, r.stderr)
	}
	// The reason is said once, before the question; then what to do.
	if strings.Count(r.stderr, "\n") != 2 || !strings.HasSuffix(r.stderr, "awsenv: not logged in; run `awsenv login corp-admin` when you want to\n") {
		t.Errorf("declined: stderr %q", r.stderr)
	}
	// Yes: the login's own flow. BROWSER=false cannot open a page, so
	// the test stops at the device code flow the next answer forces.
	t.Setenv("BROWSER", "")
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	r = runApp(t, func(string) (string, error) { return "", nil }, "use", "corp-admin", "--shell", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "export AWS_ACCESS_KEY_ID=") || !strings.Contains(r.stderr, "signed in to sso-session corp") {
		t.Errorf("accepted: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestStatusSSO(t *testing.T) {
	ssoHome(t, ssoTestConfig)
	t.Setenv("AWSENV_PROFILE", "corp-admin")
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	r := runApp(t, nil, "status")
	if !strings.Contains(r.stdout, "sso        sso-session corp (start URL https://corp.awsapps.com/start, region eu-west-1)") || !strings.Contains(r.stdout, "not logged in: run `awsenv login corp-admin`") {
		t.Errorf("before login:\n%s", r.stdout)
	}
	runApp(t, nil, "login", "--device-code", "--no-browser")
	r = runApp(t, nil, "status")
	if !strings.Contains(r.stdout, "sso login  access token 1h00m left") && !strings.Contains(r.stdout, "sso login  access token 59m left") || !strings.Contains(r.stdout, "refresh token held: awsenv renews it silently until the session ends (at the latest 20") {
		t.Errorf("after login:\n%s", r.stdout)
	}
}

// The prompt hook's refresh never asks and never opens a browser, even
// with a terminal on stderr: one line says what to run.
func TestRefreshNoPromptNeverLogsIn(t *testing.T) {
	home, stub := ssoHome(t, ssoTestConfig)
	browserLog := filepath.Join(home, "browser-calls")
	browser := filepath.Join(home, "browser")
	testenv.WriteFile(t, browser, "#!/bin/sh\necho \"$*\" >> '"+browserLog+"'\n", 0o755)
	t.Setenv("BROWSER", browser)
	t.Setenv("AWSENV_PROFILE", "corp-admin")
	t.Setenv("AWS_CREDENTIAL_EXPIRATION", "")
	r := runApp(t, func(q string) (string, error) {
		t.Errorf("refresh --no-prompt asked %q", q)
		return "y", nil
	}, "refresh", "--no-prompt", "--shell", "bash")
	if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "run `awsenv login corp-admin`, then try again; the credentials in this shell are unchanged") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(browserLog); err == nil || stub.Calls("StartDeviceAuthorization")+stub.Calls("RegisterClient") != 0 {
		t.Errorf("a login was started: %s", stub)
	}
}
