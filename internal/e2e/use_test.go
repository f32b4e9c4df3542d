package e2e

import (
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// evalUse is how the README tells each shell to run `awsenv use`, followed
// by a dump of the environment and, when given, more commands.
var evalUse = map[string]string{
	"bash": `eval "$(awsenv %s)" && env -0`,
	"zsh":  `eval "$(awsenv %s)" && env -0`,
	"fish": `awsenv %s | source; and env -0`,
}

// stale is what an hour-old session leaves in a shell: awsenv must neither
// use it as a source nor leave it behind.
var stale = []string{
	"AWS_ACCESS_KEY_ID=ASIASTALESTALESTALE0", "AWS_SECRET_ACCESS_KEY=stale",
	"AWS_SESSION_TOKEN=stale", "AWS_SECURITY_TOKEN=stale",
	"AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z", "AWS_PROFILE=other",
	"AWS_DEFAULT_PROFILE=other",
}

func TestUseAssumesRoleInEveryShell(t *testing.T) {
	moto := testenv.StartMoto(t)
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			f := newFixture(t, baseConfig, baseCredentials, moto.URL())
			script := strings.Replace(evalUse[sh], "%s", "use project1", 1) +
				"; and aws sts get-caller-identity --output json"
			if sh != "fish" {
				script = strings.Replace(script, "; and ", " && ", 1)
			}
			out, stderr, code := f.shell(sh, script, stale...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			envPart, identity, _ := strings.Cut(out, "{")
			env := parseEnv(envPart)
			if !strings.HasPrefix(env["AWS_ACCESS_KEY_ID"], "ASIA") || env["AWS_ACCESS_KEY_ID"] == "ASIASTALESTALESTALE0" {
				t.Errorf("AWS_ACCESS_KEY_ID = %q, want fresh temporary keys", env["AWS_ACCESS_KEY_ID"])
			}
			if env["AWS_SESSION_TOKEN"] == "" || env["AWS_SESSION_TOKEN"] == "stale" {
				t.Errorf("AWS_SESSION_TOKEN = %q", env["AWS_SESSION_TOKEN"])
			}
			exp, err := time.Parse(time.RFC3339, env["AWS_CREDENTIAL_EXPIRATION"])
			if err != nil || time.Until(exp) < 55*time.Minute || time.Until(exp) > 61*time.Minute {
				t.Errorf("AWS_CREDENTIAL_EXPIRATION = %q: want about an hour from now (%v)", env["AWS_CREDENTIAL_EXPIRATION"], err)
			}
			for k, want := range map[string]string{
				"AWS_SESSION_EXPIRATION": env["AWS_CREDENTIAL_EXPIRATION"],
				"AWS_REGION":             "eu-west-1",
				"AWS_DEFAULT_REGION":     "eu-west-1",
				"AWSENV_PROFILE":         "project1",
				// The user's own, for clear to put back.
				"AWSENV_SAVED_AWS_PROFILE":         "other",
				"AWSENV_SAVED_AWS_DEFAULT_PROFILE": "other",
			} {
				if env[k] != want {
					t.Errorf("%s = %q, want %q", k, env[k], want)
				}
			}
			for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"} {
				if v, ok := env[k]; ok {
					t.Errorf("%s still set to %q", k, v)
				}
			}
			var id struct{ Arn string }
			if err := json.Unmarshal([]byte("{"+identity), &id); err != nil || !strings.Contains(id.Arn, ":assumed-role/Prod-Role/") {
				t.Errorf("aws sts get-caller-identity as the exported keys: %q (%v)", identity, err)
			}
		})
	}
}

func TestUseStaticHostileSecret(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, baseConfig, baseCredentials, "")
			out, stderr, code := f.shell(sh, strings.Replace(evalUse[sh], "%s", "use static", 1), stale...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			env := parseEnv(out)
			if env["AWS_SECRET_ACCESS_KEY"] != hostileSecret {
				t.Errorf("secret read back as %q", env["AWS_SECRET_ACCESS_KEY"])
			}
			if env["AWS_ACCESS_KEY_ID"] != "AKIASTATICEXAMPLE000" || env["AWS_REGION"] != "us-west-2" {
				t.Errorf("keys/region: %q %q", env["AWS_ACCESS_KEY_ID"], env["AWS_REGION"])
			}
			// Long-term keys: no token and no expiry may survive from before.
			for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "AWS_SECURITY_TOKEN"} {
				if v, ok := env[k]; ok {
					t.Errorf("%s = %q after using long-term keys", k, v)
				}
			}
		})
	}
}

func TestClear(t *testing.T) {
	f := newFixture(t, baseConfig, baseCredentials, "")
	foreign := []string{"AWS_VAULT=x", "AWSUME_PROFILE=x", "GRANTED_SSO=x", "AWS_REGION=eu-west-1"}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		for _, all := range []bool{false, true} {
			cmd := "clear"
			if all {
				cmd = "clear --all"
			}
			out, stderr, code := f.shell(sh, strings.Replace(evalUse[sh], "%s", cmd, 1), append(append(stale, foreign...), "AWSENV_PROFILE=p")...)
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", sh, cmd, code, stderr)
			}
			env := parseEnv(out)
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWSENV_PROFILE"} {
				if _, ok := env[k]; ok {
					t.Errorf("%s %s: %s still set", sh, cmd, k)
				}
			}
			for _, k := range []string{"AWS_PROFILE", "AWS_VAULT", "AWSUME_PROFILE", "GRANTED_SSO", "AWS_REGION", "AWS_DEFAULT_PROFILE"} {
				if _, ok := env[k]; ok == all {
					t.Errorf("%s %s: %s set=%v", sh, cmd, k, ok)
				}
			}
		}
	}
}

// Every failure leaves stdout empty, so eval runs nothing, and says on
// stderr what to do next.
func TestUseFailures(t *testing.T) {
	closed := closedPortURL(t)
	expired := testenv.FakeSTS{Error: "ExpiredToken"}.Start(t).URL
	for _, tc := range []struct {
		name, config, credentials string
		env                       []string
		args                      []string
		code                      int
		stderr                    []string
		within                    time.Duration
	}{
		{name: "unknown profile", args: []string{"use", "projetc1"}, code: 1,
			stderr: []string{`"projetc1"`, "did you mean project1", "awsenv list"}},
		{name: "malformed config", config: "[profile project1\nregion = x\n", args: []string{"use", "project1"}, code: 1,
			stderr: []string{"config:1", "section header", `"project1"`}},
		{name: "STS down", env: []string{"AWS_ENDPOINT_URL_STS=" + closed}, args: []string{"use", "project1"}, code: 1,
			stderr: []string{`"project1"`, closed, "could not reach STS", "awsenv doctor"}, within: 10 * time.Second},
		{name: "expired source keys", env: []string{"AWS_ENDPOINT_URL_STS=" + expired}, args: []string{"use", "project1"}, code: 1,
			stderr: []string{`"project1"`, "expired", `"user1"`}},
		{name: "NUL in a value", credentials: "[nul]\naws_access_key_id = AKIA\naws_secret_access_key = a\x00b\n", args: []string{"use", "nul", "--shell", "bash"}, code: 1,
			stderr: []string{"NUL"}},
		{name: "unknown shell", args: []string{"use", "static", "--shell", "cmd"}, code: 2, stderr: []string{`"cmd"`, "bash"}},
		{name: "help", args: []string{"use", "--help"}, code: 0, stderr: []string{"Usage: awsenv use"}},
		{name: "no profile and no terminal", args: []string{"use"}, code: 2, stderr: []string{"no profile given, and no terminal", "project1", "static"}},
		{name: "MFA without a terminal", config: baseConfig + "[profile mfa]\nrole_arn = " + roleArn + "\nsource_profile = user1\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
			env: []string{"AWS_ENDPOINT_URL_STS=" + closed}, args: []string{"use", "mfa"}, code: 1,
			stderr: []string{`"mfa"`, "arn:aws:iam::123456789012:mfa/me", "--mfa-token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, cr := baseConfig, baseCredentials
			if tc.config != "" {
				cfg = tc.config
			}
			if tc.credentials != "" {
				cr = tc.credentials
			}
			f := newFixture(t, cfg, cr, "")
			start := time.Now()
			out, stderr, code := f.awsenvNoTTY(f.with(tc.env...), tc.args...)
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if strings.Contains(stderr, secretKey) || strings.Contains(stderr, "wJalr") {
				t.Errorf("stderr shows a secret:\n%s", stderr)
			}
			if tc.within > 0 && time.Since(start) > tc.within {
				t.Errorf("took %v, want under %v", time.Since(start), tc.within)
			}
		})
	}
}

// awsenvNoTTY runs awsenv in a new session, so that /dev/tty cannot be
// opened: as in a cron job, or a prompt hook with no one to ask.
func (f *fixture) awsenvNoTTY(env []string, args ...string) (stdout, stderr string, code int) {
	f.t.Helper()
	return f.awsenv(env, args...)
}

// A person running `awsenv use` at a terminal gets instructions, not keys.
func TestUseRefusesTerminal(t *testing.T) {
	script := testenv.LookPath(t, "script")
	f := newFixture(t, baseConfig, baseCredentials, "")
	out, _, _ := testenv.RunShell(t, testenv.Shell(t, "bash"),
		script+" -qec 'awsenv use static' /dev/null", f.env)
	if strings.Contains(out, "AKIASTATIC") || strings.Contains(out, "quoted") {
		t.Fatalf("credentials shown on a terminal:\n%s", out)
	}
	if !strings.Contains(out, `eval "$(awsenv use static)"`) {
		t.Fatalf("no instructions on the terminal:\n%s", out)
	}
}

// Help is output, on stdout, except for the commands whose stdout is
// evaluated: there it goes to stderr unless stdout is a terminal.
func TestHelpIsNeverEvaluated(t *testing.T) {
	f := newFixture(t, baseConfig, baseCredentials, "")
	for _, cmd := range []string{"use", "clear", "refresh", "hook"} {
		out, stderr, code := f.shell("bash", `eval "$(awsenv `+cmd+` --help)"; echo "status=$?"`)
		if code != 0 || out != "status=0\n" || !strings.Contains(stderr, "Usage: awsenv "+cmd) {
			t.Errorf("%s --help: out %q, code %d, stderr %q", cmd, out, code, stderr)
		}
	}
	out, stderr, code := f.shell("bash", `awsenv --help | grep -c doctor; awsenv doctor --help | grep -c -- --fix`)
	if code != 0 || out != "1\n1\n" {
		t.Errorf("help on stdout: out %q, code %d, stderr %q", out, code, stderr)
	}
}

func TestExportFormats(t *testing.T) {
	moto := testenv.StartMoto(t)
	cfg := baseConfig + "[profile viaproc]\ncredential_process = awsenv export --format process project1\nregion = eu-west-1\n"
	f := newFixture(t, cfg, baseCredentials, moto.URL())

	out, stderr, code := f.awsenv(f.env, "export", "project1", "--format", "process")
	var p struct {
		Version                                                int
		AccessKeyId, SecretAccessKey, SessionToken, Expiration string
	}
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Version != 1 || !strings.HasPrefix(p.AccessKeyId, "ASIA") || p.Expiration == "" {
		t.Fatalf("process format: %q %s", out, stderr)
	}

	// Another tool (here the AWS CLI) using awsenv as its credential_process.
	out, stderr, code = f.shell("bash", "aws sts get-caller-identity --profile viaproc --query Arn --output text")
	if code != 0 || !strings.Contains(out, "assumed-role/Prod-Role") {
		t.Fatalf("credential_process = awsenv export: %q %s", out, stderr)
	}

	// Files for other programs name no profile: in a container without
	// ~/.aws, every SDK would fail on it. (What dotenv readers make of the
	// file: TestExportDotenvReaders.)
	for _, format := range []string{"env", "dotenv"} {
		out, _, code = f.awsenv(f.env, "export", "project1", "--format", format)
		if code != 0 || !strings.Contains(out, "\nAWS_SESSION_TOKEN=") || strings.Contains(out, "AWS_PROFILE") || strings.ContainsAny(out, `"'`) {
			t.Errorf("%s: %q", format, out)
		}
	}
	out, _, code = f.awsenv(f.env, "export", "static", "--format", "json")
	var m map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &m) != nil || m["AWS_SECRET_ACCESS_KEY"] != hostileSecret {
		t.Errorf("json: %q", out)
	}
	out, _, code = f.awsenv(f.env, "export", "static", "--format", "env")
	if code != 0 || !strings.Contains(out, "AWS_SECRET_ACCESS_KEY="+hostileSecret+"\n") {
		t.Errorf("env: %q", out)
	}
}

// Each way of configuring the STS endpoint must reach the AssumeRole call.
func TestEndpointSources(t *testing.T) {
	moto := testenv.StartMoto(t)
	for _, tc := range []struct {
		name, config string
		env          []string
	}{
		{"AWS_ENDPOINT_URL_STS", baseConfig, []string{"AWS_ENDPOINT_URL_STS=" + moto.URL()}},
		{"AWS_ENDPOINT_URL", baseConfig, []string{"AWS_ENDPOINT_URL=" + moto.URL()}},
		{"profile endpoint_url", strings.Replace(baseConfig, "region = eu-west-1", "region = eu-west-1\nendpoint_url = "+moto.URL(), 1), nil},
		{"services section", strings.Replace(baseConfig, "region = eu-west-1", "region = eu-west-1\nservices = local", 1) +
			"[services local]\nsts =\n  endpoint_url = " + moto.URL() + "\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.config, baseCredentials, "")
			before := moto.Calls(t, "AssumeRole")
			out, stderr, code := f.awsenv(f.with(append(tc.env, "AWSENV_SHELL=bash")...), "use", "project1", "--refresh")
			if code != 0 || !strings.Contains(out, "AWS_SESSION_TOKEN") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := moto.Calls(t, "AssumeRole") - before; got != 1 {
				t.Errorf("AssumeRole calls at moto: %d, want 1", got)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	moto := testenv.StartMoto(t)
	cfg := baseConfig + "[profile long]\nrole_arn = " + roleArn + "\nsource_profile = user1\nduration_seconds = 7200\n"
	f := newFixture(t, cfg, baseCredentials, moto.URL())
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{[]string{"use", "project1", "--refresh"}, time.Hour},
		{[]string{"use", "project1", "--refresh", "--duration", "3h"}, 3 * time.Hour},
		{[]string{"use", "long", "--refresh"}, 2 * time.Hour},
	} {
		out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), tc.args...)
		if code != 0 {
			t.Fatalf("%v: %s", tc.args, stderr)
		}
		_, rest, _ := strings.Cut(out, "AWS_CREDENTIAL_EXPIRATION='")
		exp, err := time.Parse(time.RFC3339, strings.SplitN(rest, "'", 2)[0])
		if left := time.Until(exp); err != nil || left < tc.want-2*time.Minute || left > tc.want+time.Minute {
			t.Errorf("%v: expires in %v, want %v (%v)", tc.args, left, tc.want, err)
		}
	}
}

func TestConfigFileVariables(t *testing.T) {
	f := newFixture(t, "", "", "")
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "cfg"), baseConfig, 0o600)
	testenv.WriteFile(t, filepath.Join(dir, "creds"), baseCredentials, 0o600)
	out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash", "AWS_CONFIG_FILE="+filepath.Join(dir, "cfg"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "creds")), "use", "static")
	if code != 0 || !strings.Contains(out, "AKIASTATICEXAMPLE000") || !strings.Contains(out, "us-west-2") {
		t.Fatalf("exit %d: %q %s", code, out, stderr)
	}
}

// closedPortURL is an address where nothing listens: connections are
// refused at once, as with a dead local endpoint.
func closedPortURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// At a terminal without the hook: a typo gets "did you mean" first; the
// refusal gives this shell's eval line and the hook line with the file it
// goes in; clear explains instead of printing unset statements.
func TestTerminalHints(t *testing.T) {
	script := testenv.LookPath(t, "script")
	f := newFixture(t, baseConfig, baseCredentials, "")
	atTerminal := func(shell, cmd string) string {
		t.Helper()
		out, _, _ := testenv.RunShell(t, testenv.Shell(t, "bash"),
			script+" -qec '"+cmd+"' /dev/null", f.with("AWSENV_SHELL="+shell))
		return out
	}
	if out := atTerminal("bash", "awsenv use projetc1"); !strings.Contains(out, "did you mean project1") || strings.Contains(out, "prints statements") {
		t.Errorf("a mistyped profile at a terminal:\n%s", out)
	}
	for _, tc := range []struct{ shell, eval, hook, file string }{
		{"bash", `eval "$(awsenv use project1)"`, `eval "$(awsenv hook bash)"`, "~/.bashrc"},
		{"zsh", `eval "$(awsenv use project1)"`, `eval "$(awsenv hook zsh)"`, "~/.zshrc"},
		{"fish", "awsenv use project1 | source", "awsenv hook fish | source", "~/.config/fish/config.fish"},
	} {
		out := atTerminal(tc.shell, "awsenv use project1")
		for _, want := range []string{tc.eval, tc.hook, tc.file} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the refusal lacks %q:\n%s", tc.shell, want, out)
			}
		}
	}
	out := atTerminal("bash", "awsenv clear")
	if strings.Contains(out, "unset ") || !strings.Contains(out, `eval "$(awsenv clear)"`) {
		t.Errorf("clear at a terminal:\n%s", out)
	}
}
