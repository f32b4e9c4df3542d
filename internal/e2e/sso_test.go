package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// ssoUserConfig is the user of the issue: an [sso-session] and one
// profile, written on Windows (CRLF), with a comment of their own.
const ssoUserConfig = "# my AWS setup\r\n[sso-session corp]\r\nsso_start_url = https://corp.awsapps.com/start\r\nsso_region = eu-west-1\r\n\r\n[profile mine]\r\nsso_session = corp\r\nsso_account_id = 222222222222\r\nsso_role_name = Developer\r\nregion = eu-west-1\r\n"

var corpSession = ssocache.Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1"}

// ssoFixture is that user on a machine without the AWS CLI, with a
// stand-in IAM Identity Center, moto for STS, and a BROWSER that only
// records that it was called.
type ssoFixture struct {
	*fixture
	stub       *testenv.SSOStub
	moto       *testenv.Moto
	browserLog string
}

func newSSOFixture(t *testing.T, set func(*testenv.SSOStub)) *ssoFixture {
	t.Helper()
	moto := testenv.StartMoto(t)
	stub := testenv.StartSSOStub(t, func(s *testenv.SSOStub) {
		// The device code flow waits for the test, playing the user, to
		// approve the code it read (loginDevice).
		s.ManualApproval = true
		if set != nil {
			set(s)
		}
	})
	f := newFixture(t, ssoUserConfig, "", moto.URL())
	sf := &ssoFixture{fixture: f, stub: stub, moto: moto, browserLog: filepath.Join(f.home, "browser-calls")}
	browser := filepath.Join(f.home, "bin", "record-browser")
	testenv.WriteFile(t, browser, "#!/bin/sh\necho \"$*\" >> '"+sf.browserLog+"'\n", 0o755)
	f.env = withoutAWSCLI(f.env)
	f.env = append(f.env, "AWS_ENDPOINT_URL_SSO="+stub.URL, "AWS_ENDPOINT_URL_SSO_OIDC="+stub.URL, "BROWSER="+browser)
	return sf
}

// withoutAWSCLI drops from PATH every folder that holds an aws command.
func withoutAWSCLI(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			var keep []string
			for _, dir := range filepath.SplitList(v) {
				if _, err := os.Stat(filepath.Join(dir, "aws")); err != nil {
					keep = append(keep, dir)
				}
			}
			kv = "PATH=" + strings.Join(keep, string(os.PathListSeparator))
		}
		out = append(out, kv)
	}
	return out
}

// browserCalls is what BROWSER was asked to open.
func (f *ssoFixture) browserCalls() string {
	b, _ := os.ReadFile(f.browserLog)
	return string(b)
}

// loginDevice runs `awsenv login --device-code --no-browser` and plays
// the user: it reads the URL and the code from stderr and approves the
// code at the stand-in.
func (f *ssoFixture) loginDevice(args ...string) (stdout, stderr string) {
	f.t.Helper()
	cmd := exec.Command(filepath.Join(f.bin, "awsenv"), append([]string{"login", "--device-code", "--no-browser"}, args...)...)
	cmd.Env = f.env
	testenv.NoTerminal(cmd)
	var out strings.Builder
	cmd.Stdout = &out
	pipe, err := cmd.StderrPipe()
	if err != nil {
		f.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	var seen strings.Builder
	sc := bufio.NewScanner(pipe)
	var url, code string
	lines := []string{}
	for sc.Scan() {
		line := sc.Text()
		seen.WriteString(line + "\n")
		lines = append(lines, line)
		if strings.HasPrefix(line, f.stub.URL+"/device") && url == "" {
			url = line
		}
		if n := len(lines); n >= 3 && lines[n-3] == "and enter the code:" && lines[n-2] == "" {
			code = line
			if !f.stub.ApproveDevice(code) {
				f.t.Errorf("the code %q on stderr is not one the stand-in is waiting for", code)
			}
		}
	}
	rest, _ := io.ReadAll(pipe)
	seen.Write(rest)
	if err := cmd.Wait(); err != nil {
		f.t.Fatalf("awsenv login: %v\n%s", err, seen.String())
	}
	if url == "" || code == "" {
		f.t.Fatalf("no URL or code on stderr:\n%s", seen.String())
	}
	return out.String(), seen.String()
}

// expireAccessToken makes the cached access token one that has run out:
// an hour passed, for the file and for the stand-in alike.
func (f *ssoFixture) expireAccessToken() {
	f.t.Helper()
	store := ssocache.Store{Dir: ssocache.DirIn(f.home)}
	tok, err := store.LoadToken(corpSession)
	if err != nil {
		f.t.Fatal(err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := store.SaveToken(corpSession, tok); err != nil {
		f.t.Fatal(err)
	}
	f.stub.RevokeAccessTokens()
}

// The "done when": login, sso profiles --write, use of a generated
// profile, with no AWS CLI, every step checked on disk and on the wire.
func TestSSOJourney(t *testing.T) {
	t.Parallel()
	f := newSSOFixture(t, nil)
	if out, _, code := f.shell("bash", "command -v aws"); code == 0 {
		t.Fatalf("the AWS CLI is on the user's PATH: %s", out)
	}

	// login: the URL and the code on stderr, nothing on stdout.
	out, stderr := f.loginDevice()
	if out != "" || !strings.Contains(stderr, "signed in to sso-session corp") {
		t.Fatalf("login: stdout %q, stderr:\n%s", out, stderr)
	}
	store := ssocache.Store{Dir: ssocache.DirIn(f.home)}
	tok, err := store.LoadToken(corpSession)
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("token after login: %v", err)
	}
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, tok.ClientSecret} {
		if strings.Contains(stderr, secret) {
			t.Error("login shows a secret on stderr")
		}
	}

	// sso profiles prints; --write merges, keeps the rest, backs up.
	config := filepath.Join(f.home, ".aws", "config")
	out, stderr, code := f.cacheRun(f.env, "awsenv", "sso", "profiles")
	if code != 0 || !strings.Contains(out, "[profile Production-ReadOnly]\n") {
		t.Fatalf("sso profiles: exit %d\n%s\n%s", code, out, stderr)
	}
	out, stderr, code = f.cacheRun(f.env, "awsenv", "sso", "profiles", "--write")
	if code != 0 || out != "" || !strings.Contains(stderr, "wrote 3 profiles of sso-session corp to "+config) {
		t.Fatalf("sso profiles --write: exit %d, stdout %q\n%s", code, out, stderr)
	}
	written, _ := os.ReadFile(config)
	if !strings.HasPrefix(string(written), ssoUserConfig) {
		t.Errorf("the user's lines changed:\n%q", written)
	}
	for _, want := range []string{
		"# BEGIN awsenv sso-session corp\r\n",
		"[profile Production-ReadOnly]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\nsso_role_name = ReadOnly\r\nsso_account_name = Production\r\nregion = eu-west-1\r\n",
		"[profile Production-AdministratorAccess]\r\n", "[profile Development-Developer]\r\n",
		"# END awsenv sso-session corp\r\n",
	} {
		if !strings.Contains(string(written), want) {
			t.Errorf("config lacks %q:\n%q", want, written)
		}
	}
	backups, _ := filepath.Glob(config + ".awsenv-backup-*")
	if len(backups) != 1 {
		t.Fatalf("backups %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != ssoUserConfig || !strings.Contains(stderr, backups[0]) {
		t.Errorf("backup %s holds %q; stderr %s", backups[0], b, stderr)
	}

	// The names complete.
	out, _, _ = f.cacheRun(f.env, "awsenv", "__complete-profiles")
	if !strings.Contains(out, "Production-ReadOnly\n") {
		t.Errorf("completion does not offer the generated profile: %q", out)
	}

	// use in bash; the credentials are good at STS (moto).
	sts := newCounter(t, f.moto)
	script := `eval "$(awsenv use Production-ReadOnly)" && awsenv status --verify && echo "key=$AWS_ACCESS_KEY_ID"`
	out, stderr, code = f.shell("bash", script)
	if code != 0 || !regexp.MustCompile(`key=ASIA`).MatchString(out) || !strings.Contains(out, "arn") {
		t.Fatalf("use in bash: exit %d\n%s\n%s", code, out, stderr)
	}
	key := regexp.MustCompile(`key=(\S+)`).FindStringSubmatch(out)[1]
	if c, ok := f.stub.Issued(key); !ok || c.AccountID != "111111111111" || c.Role != "ReadOnly" {
		t.Errorf("use exported %s, not the stand-in's Production ReadOnly credentials", key)
	}
	// No AssumeRole, no GetSessionToken: SSO role credentials need no
	// STS; moto took them for status --verify's GetCallerIdentity.
	sts.expect("use and status --verify", nil)
	if n := f.moto.Calls(t, "GetCallerIdentity"); n != 1 {
		t.Errorf("%d GetCallerIdentity calls, want 1 (status --verify)", n)
	}
	// Again: a cache hit, no call anywhere.
	calls := f.stub.String()
	out, stderr, code = f.shell("bash", `eval "$(awsenv use Production-ReadOnly)" && echo "key=$AWS_ACCESS_KEY_ID"`)
	if code != 0 || !strings.Contains(out, "key="+key) || f.stub.String() != calls {
		t.Errorf("second use: exit %d, %s; SSO calls %s then %s\n%s", code, out, calls, f.stub.String(), stderr)
	}

	// logout: the login and the role credentials cached from it are
	// gone; use then says in one line what to run, and opens nothing.
	out, stderr, code = f.cacheRun(f.env, "awsenv", "logout")
	if code != 0 || out != "" || !strings.Contains(stderr, "signed out of sso-session corp") || f.stub.Calls("Logout") != 1 {
		t.Fatalf("logout: exit %d, stdout %q\n%s", code, out, stderr)
	}
	for _, dir := range []string{ssocache.DirIn(f.home), filepath.Join(f.home, ".aws", "cli", "cache")} {
		if left, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(left) != 0 {
			t.Errorf("left after logout: %v", left)
		}
	}
	out, stderr, code = f.cacheRun(f.with("AWSENV_SHELL=bash"), "awsenv", "use", "Production-ReadOnly")
	if code != 1 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "run `awsenv login Production-ReadOnly`, then try again") {
		t.Errorf("use after logout: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if f.browserCalls() != "" {
		t.Errorf("a browser was opened: %s", f.browserCalls())
	}
}

// The authorization code flow with PKCE, end to end: BROWSER is a script
// that plays the browser with curl, following the authorization URL to
// the stand-in, which redirects to awsenv's loopback listener.
func TestSSOLoginPKCE(t *testing.T) {
	t.Parallel()
	testenv.LookPath(t, "curl")
	f := newSSOFixture(t, nil)
	browser := filepath.Join(f.home, "bin", "curl-browser")
	testenv.WriteFile(t, browser, "#!/bin/sh\necho \"$1\" >> '"+f.browserLog+"'\nexec curl -fsSL --max-time 20 -o /dev/null \"$1\"\n", 0o755)
	env := f.with("BROWSER=" + browser)
	out, stderr, code := f.cacheRun(env, "awsenv", "login", "mine")
	if code != 0 || out != "" {
		t.Fatalf("login: exit %d, stdout %q\n%s", code, out, stderr)
	}
	opened := strings.TrimSpace(f.browserCalls())
	if !strings.HasPrefix(opened, f.stub.URL+"/authorize?") || !strings.Contains(opened, "code_challenge_method=S256") || !strings.Contains(stderr, opened) {
		t.Errorf("opened %q; stderr:\n%s", opened, stderr)
	}
	if f.stub.Calls("Authorize") != 1 || f.stub.Calls("CreateToken:authorization_code") != 1 || f.stub.Calls("StartDeviceAuthorization") != 0 {
		t.Errorf("SSO calls %s", f.stub)
	}
	out, stderr, code = f.cacheRun(f.with("AWSENV_SHELL=bash"), "awsenv", "use", "mine")
	if code != 0 || !strings.Contains(out, "export AWS_ACCESS_KEY_ID='ASIA") {
		t.Errorf("use after the PKCE login: exit %d\n%s", code, stderr)
	}
}

// ssoHookShells turn auto-refresh on in each shell.
var ssoHookShells = []struct{ name, rc, set, status string }{
	{"bash", `export AWSENV_AUTO_REFRESH=1; eval "$(awsenv hook bash)"`, `export %s='%s'`, `$?`},
	{"zsh", `export AWSENV_AUTO_REFRESH=1; eval "$(awsenv hook zsh)"`, `export %s='%s'`, `$?`},
	{"fish", `awsenv hook fish --auto-refresh | source`, `set -gx %s '%s'`, `$status`},
}

// The prompt hook's auto-refresh renews SSO-based credentials through
// several access-token expiries with the refresh token alone, in real
// interactive bash, zsh and fish: one refresh_token grant and one
// GetRoleCredentials per expiry, no STS call, no browser. When the SSO
// session is over it says in one line to run `awsenv login PROFILE`.
func TestSSOHookRenewal(t *testing.T) {
	for _, sh := range ssoHookShells {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			f := newSSOFixture(t, nil)
			f.loginDevice()
			if _, stderr, code := f.cacheRun(f.env, "awsenv", "sso", "profiles", "--write"); code != 0 {
				t.Fatalf("sso profiles --write: %s", stderr)
			}
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), sh.rc)
			run := func(cmd string) string { t.Helper(); return tm.Run(cmd) }
			get := func(name string) string { t.Helper(); return strings.Trim(run(`echo "[$`+name+`]"`), "[]") }
			at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }

			if got := run("awsenv use Production-ReadOnly; echo rc=" + sh.status); !strings.HasSuffix(got, "rc=0") || !strings.Contains(got, "Production-ReadOnly → 111111111111 ReadOnly") {
				t.Fatalf("awsenv use: %q", got)
			}
			key := get("AWS_ACCESS_KEY_ID")
			sts := newCounter(t, f.moto)
			const expiries = 3
			for i := 1; i <= expiries; i++ {
				// An hour on: the access token has run out, and the
				// role credentials are about to.
				f.expireAccessToken()
				f.expireEntries(2 * time.Minute)
				// A different second each time: the hook tries a refresh
				// once per expiry it sees.
				run(fmt.Sprintf(sh.set, "AWS_CREDENTIAL_EXPIRATION", at(2*time.Minute-time.Duration(i)*20*time.Second)))
				newKey := get("AWS_ACCESS_KEY_ID")
				exp, err := time.Parse(time.RFC3339, get("AWS_CREDENTIAL_EXPIRATION"))
				if newKey == key || err != nil || time.Until(exp) < 50*time.Minute {
					t.Fatalf("expiry %d: key %s (was %s), expiration %v %v:\n%s", i, newKey, key, exp, err, tm.Capture())
				}
				if c, ok := f.stub.Issued(newKey); !ok || c.Role != "ReadOnly" {
					t.Errorf("expiry %d: %s is not the stand-in's", i, newKey)
				}
				key = newKey
				if n := f.stub.Calls("CreateToken:refresh_token"); n != i {
					t.Errorf("after %d expiries, %d refresh_token grants", i, n)
				}
			}
			if n := f.stub.Calls("GetRoleCredentials"); n != expiries+1 {
				t.Errorf("%d GetRoleCredentials calls, want %d (use, then one per expiry)", n, expiries+1)
			}
			if n := f.stub.Calls("StartDeviceAuthorization") + f.stub.Calls("Authorize"); n != 1 {
				t.Errorf("%d logins, want the first one only", n)
			}
			sts.expect("auto-refresh of SSO role credentials", nil)
			screen := trimmedScreen(tm)
			if n := strings.Count(screen, "awsenv: refreshed Production-ReadOnly → 111111111111 ReadOnly (eu-west-1), expires"); n != expiries {
				t.Errorf("%d refreshes announced, want %d:\n%s", n, expiries, screen)
			}

			// The session ends: one line, no browser, nothing changed.
			f.stub.EndSessions()
			f.expireAccessToken()
			f.expireEntries(2 * time.Minute)
			run(fmt.Sprintf(sh.set, "AWS_CREDENTIAL_EXPIRATION", at(2*time.Minute)))
			run("true")
			run("true")
			// Input typed ahead may be echoed on the line where the
			// message then starts.
			line := regexp.MustCompile("awsenv: sso-session corp: [^\n]*: run `awsenv login Production-ReadOnly`, then try again; the credentials in this shell are unchanged\n")
			if n := len(line.FindAllString(trimmedScreen(tm), -1)); n != 1 {
				t.Errorf("the session's end said %d times, want once:\n%s", n, tm.Capture())
			}
			if got := get("AWS_ACCESS_KEY_ID"); got != key {
				t.Errorf("a failed refresh changed the key from %s to %s", key, got)
			}
			if f.browserCalls() != "" {
				t.Errorf("a browser was opened: %s", f.browserCalls())
			}
		})
	}
}

// trimmedScreen is the screen without the spaces zsh pads lines with.
func trimmedScreen(tm *testenv.Tmux) string {
	lines := strings.Split(tm.Capture(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// `awsenv use` at a terminal, before any login: it asks on the terminal,
// logs in (the browser is a curl script that plays it), and goes on to
// set the credentials in the shell. stdout, which the hook's wrapper
// evaluates, holds only the statements.
func TestSSOUseOffersLogin(t *testing.T) {
	t.Parallel()
	testenv.LookPath(t, "curl")
	f := newSSOFixture(t, nil)
	browser := filepath.Join(f.home, "bin", "curl-browser")
	testenv.WriteFile(t, browser, "#!/bin/sh\necho \"$1\" >> '"+f.browserLog+"'\nexec curl -fsSL --max-time 20 -o /dev/null \"$1\"\n", 0o755)
	tm := testenv.StartTmux(t, "bash", f.with("HISTFILE=/dev/null", "BROWSER="+browser), `eval "$(awsenv hook bash)"`)
	tm.Send("awsenv use mine; echo use''-rc=$?")
	tm.WaitFor("Log in now? [Y/n] ", 20*time.Second)
	tm.Send("y")
	screen := tm.WaitFor("\nuse-rc=", 30*time.Second)
	if !strings.Contains(screen, "use-rc=0") || !strings.Contains(screen, "no cached SSO login") || !strings.Contains(screen, "signed in to sso-session corp") {
		t.Fatalf("screen:\n%s", screen)
	}
	if got := tm.Run(`echo "[$AWS_ACCESS_KEY_ID]"`); !strings.HasPrefix(got, "[ASIA") {
		t.Errorf("after the login, AWS_ACCESS_KEY_ID = %s", got)
	}
	if f.stub.Calls("CreateToken:authorization_code") != 1 || !strings.HasPrefix(f.browserCalls(), f.stub.URL+"/authorize?") {
		t.Errorf("SSO calls %s; browser %q", f.stub, f.browserCalls())
	}
}
