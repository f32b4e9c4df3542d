package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// doctorReport is the part of `awsenv doctor --json` the tests read.
type doctorReport struct {
	Version  int `json:"version"`
	Profile  string
	Findings []struct {
		Check, Status, Title, Found, Why, Fix, Fixed string
		Details                                      []string
	}
	Summary struct{ OK, Warning, Error, Skipped int }
}

// doctorJSON runs `awsenv doctor --json` and parses the report.
func doctorJSON(t *testing.T, f *fixture, env []string, args ...string) (doctorReport, int, string) {
	t.Helper()
	start := time.Now()
	out, stderr, code := f.awsenv(env, append([]string{"doctor", "--json"}, args...)...)
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("doctor took %s", d)
	}
	var r doctorReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("doctor --json: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr)
	}
	return r, code, out
}

// status returns the status of the first finding of check (the worst,
// when there are several).
func (r doctorReport) status(check string) string {
	rank := map[string]int{"": 0, "skipped": 1, "ok": 2, "warning": 3, "error": 4}
	w := ""
	for _, f := range r.Findings {
		if f.Check == check && rank[f.Status] > rank[w] {
			w = f.Status
		}
	}
	return w
}

func (r doctorReport) text(check string) string {
	var b strings.Builder
	for _, f := range r.Findings {
		if f.Check == check {
			fmt.Fprintf(&b, "%s %s: %s\n%s\n%s\n%s\n", f.Status, f.Title, f.Found, f.Why, f.Fix, f.Fixed)
		}
	}
	return b.String()
}

// noSecretIn fails if any secret of the fixtures appears in out.
func noSecretIn(t *testing.T, what, out string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, secretKey, accessKey) {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("%s shows a secret or a whole key id (%.6s…)", what, s)
		}
	}
}

// leanCopy is awsenv alone in a folder, with a bare PATH: the one binary
// is the whole tool.
func leanCopy(t *testing.T, f *fixture) (bin string, env []string) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(f.bin, "awsenv"))
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(dir, "awsenv")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kv := range f.env {
		if strings.HasPrefix(kv, "PATH=") {
			kv = "PATH=/usr/bin:/bin"
		}
		env = append(env, kv)
	}
	return bin, env
}

func runLean(t *testing.T, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	f := &fixture{t: t, bin: filepath.Dir(bin)}
	return f.awsenv(env, args...)
}

const doctorConfig = baseConfig + `
[profile chained]
role_arn = arn:aws:iam::123456789012:role/Chained
source_profile = project1
duration_seconds = 7200
region = eu-west-1
`

func TestDoctorAgainstMoto(t *testing.T) {
	moto := testenv.StartMoto(t)

	// Not parallel: it counts moto's AssumeRole calls, and runs before the
	// parallel subtests start.
	t.Run("healthy", func(t *testing.T) {
		f := newFixture(t, doctorConfig, baseCredentials, moto.URL())
		before := moto.Calls(t, "AssumeRole")
		r, code, out := doctorJSON(t, f, f.env, "--profile", "project1")
		if code != 0 || r.Summary.Error != 0 {
			t.Fatalf("exit %d, %d errors:\n%s", code, r.Summary.Error, out)
		}
		for _, check := range []string{"env", "precedence", "profile", "cache", "clock", "reachability", "identity", "files", "duration"} {
			if s := r.status(check); s != "ok" {
				t.Errorf("%s: %s\n%s", check, s, r.text(check))
			}
		}
		if !strings.Contains(r.text("identity"), "account 123456789012") {
			t.Errorf("identity: %s", r.text("identity"))
		}
		if !strings.Contains(r.text("reachability"), moto.URL()) {
			t.Errorf("reachability does not name the endpoint: %s", r.text("reachability"))
		}
		if moto.Calls(t, "AssumeRole") != before {
			t.Error("doctor assumed a role: it must change nothing")
		}
		noSecretIn(t, "doctor --json", out)

		// Piped text: words, no colour.
		text, _, code := f.awsenv(f.env, "doctor", "--profile", "project1")
		if code != 0 || strings.Contains(text, "\x1b[") || !strings.Contains(text, "[ok]") || !strings.Contains(text, "Name") {
			t.Errorf("exit %d, piped text:\n%s", code, text)
		}
		noSecretIn(t, "doctor", text)
	})

	t.Run("terminal", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, doctorConfig, baseCredentials, moto.URL())
		tm := testenv.StartTmux(t, "bash", f.env, "")
		screen := tm.Run("awsenv doctor --profile project1; echo exit=$?")
		if !strings.Contains(screen, "✓") || strings.Contains(screen, "[ok]") || !strings.Contains(screen, "exit=0") {
			t.Errorf("at a terminal doctor should use symbols:\n%s", screen)
		}
		piped := tm.Run("awsenv doctor --profile project1 | cat")
		if strings.Contains(piped, "✓") || !strings.Contains(piped, "[ok]") {
			t.Errorf("piped doctor should use words:\n%s", piped)
		}
	})

	t.Run("chaining limit", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, doctorConfig, baseCredentials, moto.URL())
		r, code, _ := doctorJSON(t, f, f.env, "--profile", "chained")
		if code != 1 || r.status("duration") != "error" || !strings.Contains(r.text("duration"), "role chaining") {
			t.Errorf("exit %d:\n%s", code, r.text("duration"))
		}
	})

	t.Run("fix", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, doctorConfig, baseCredentials, moto.URL())
		// A real session from the AWS CLI: valid, and must survive.
		if arn := f.callerARN("project1"); !strings.Contains(arn, "Prod-Role") {
			t.Fatalf("aws CLI identity %q", arn)
		}
		cliDir := filepath.Join(f.home, ".aws", "cli", "cache")
		valid, _ := filepath.Glob(filepath.Join(cliDir, "*.json"))
		if len(valid) != 1 {
			t.Fatalf("CLI cache: %v", valid)
		}
		expired := filepath.Join(cliDir, "0123456789abcdef0123456789abcdef01234567.json")
		testenv.WriteFile(t, expired, `{"Credentials": {"AccessKeyId": "ASIAOLD", "SecretAccessKey": "old", "SessionToken": "old", "Expiration": "2020-01-01T00:00:00+00:00"}}`, 0o600)
		corrupt := filepath.Join(cliDir, "corrupt.json")
		testenv.WriteFile(t, corrupt, `{"Credentials": `, 0o600)
		// --fix deletes only complete credentials entries named like a key.
		ownExpired := filepath.Join(f.home, ".cache", "awsenv", "mfa", "76543210fedcba9876543210fedcba9876543210.json")
		testenv.WriteFile(t, ownExpired, `{"Credentials": {"AccessKeyId": "ASIAOLD", "SecretAccessKey": "old", "SessionToken": "old", "Expiration": "2020-01-01T00:00:00Z"}}`, 0o600)
		credFile := filepath.Join(f.home, ".aws", "credentials")
		os.Chmod(credFile, 0o644)

		r, _, _ := doctorJSON(t, f, f.env, "--profile", "project1")
		if r.status("cache") != "warning" || r.status("files") != "warning" {
			t.Fatalf("before --fix: cache %s, files %s", r.status("cache"), r.status("files"))
		}
		if !strings.Contains(r.text("cache"), "unreadable") {
			t.Errorf("corrupt entry not reported: %s", r.text("cache"))
		}
		r, code, out := doctorJSON(t, f, f.env, "--profile", "project1", "--fix")
		if code != 0 {
			t.Errorf("--fix: exit %d\n%s", code, out)
		}
		exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
		if exists(expired) || exists(ownExpired) {
			t.Error("--fix left an expired entry")
		}
		if !exists(valid[0]) || !exists(corrupt) {
			t.Error("--fix deleted a valid or unreadable entry")
		}
		if fi, _ := os.Stat(credFile); fi.Mode().Perm() != 0o600 {
			t.Errorf("credentials mode %o after --fix", fi.Mode().Perm())
		}
		if !strings.Contains(r.text("cache"), "deleted 1 expired") {
			t.Errorf("fix not reported: %s", r.text("cache"))
		}
		// The CLI still uses its session: no new AssumeRole.
		before := moto.Calls(t, "AssumeRole")
		f.callerARN("project1")
		if moto.Calls(t, "AssumeRole") != before {
			t.Error("the CLI had to assume the role again: its valid session was lost")
		}
	})

	t.Run("list", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, doctorConfig+"[notaprofile]\nregion = us-east-1\n", baseCredentials+"[profile odd]\naws_access_key_id = x\n", moto.URL())
		f.callerARN("project1") // the AWS CLI caches the session
		bin, env := leanCopy(t, f)
		out, stderr, code := runLean(t, bin, env, "list", "--json")
		if code != 0 {
			t.Fatalf("list --json: exit %d: %s", code, stderr)
		}
		var l struct {
			Version  int
			Profiles []struct {
				Name, Kind, Region string
				Chain              []string
				MFA                bool
				Cached             []struct {
					Cache       string
					SecondsLeft int64 `json:"seconds_left"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &l); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range l.Profiles {
			got[p.Name] = fmt.Sprintf("%s %s %s", p.Kind, p.Region, strings.Join(p.Chain, ">"))
			if p.Name == "project1" {
				if len(p.Cached) != 1 || p.Cached[0].Cache != "aws-cli" || p.Cached[0].SecondsLeft < 50*60 {
					t.Errorf("project1 cached = %+v, want the AWS CLI's session", p.Cached)
				}
			}
		}
		want := map[string]string{
			"project1": "role eu-west-1 project1>user1",
			"chained":  "role eu-west-1 chained>project1>user1",
			"static":   "static us-west-2 static",
			"user1":    "static  user1",
			// [profile odd] in the credentials file is no profile: the SDKs'
			// shared rules and the Go SDK ignore it. (This expected botocore's
			// profile "profile odd" before; see awsconfig's README.md.)
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("%s = %q, want %q", name, got[name], w)
			}
		}
		if _, ok := got["profile odd"]; ok {
			t.Errorf("profiles %v list [profile odd] of the credentials file", got)
		}
		if _, ok := got["notaprofile"]; ok || len(got) != len(want) {
			t.Errorf("profiles %v", got)
		}
		noSecretIn(t, "list --json", out, hostileSecret)

		text, _, code := runLean(t, bin, env, "list")
		if code != 0 || !strings.Contains(text, "aws-cli ") || !strings.Contains(text, "project1 > user1") {
			t.Errorf("list: exit %d\n%s", code, text)
		}
	})

	t.Run("status", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, doctorConfig, baseCredentials, moto.URL())
		out, stderr, code := f.shell("bash", `eval "$(awsenv use project1)" && awsenv status && echo --- && awsenv status --verify`)
		if code != 0 {
			t.Fatalf("exit %d: %s\n%s", code, stderr, out)
		}
		plain, verified, _ := strings.Cut(out, "---")
		for _, want := range []string{"project1", "****", "temporary", "awsenv (AWSENV_PROFILE=project1)", "eu-west-1 (AWS_REGION)", "left"} {
			if !strings.Contains(plain, want) {
				t.Errorf("status lacks %q:\n%s", want, plain)
			}
		}
		if strings.Contains(plain, "account") || !strings.Contains(verified, "123456789012") || !strings.Contains(verified, "assumed-role/Prod-Role") {
			t.Errorf("status --verify:\n%s", verified)
		}
		noSecretIn(t, "status", out)

		// awsenv alone in a folder answers status.
		bin, env := leanCopy(t, f)
		env = append(env, "AWSENV_PROFILE=project1", "AWS_PROFILE=project1", "AWS_ACCESS_KEY_ID=ASIAEXAMPLEEXAMPTGN7",
			"AWS_SECRET_ACCESS_KEY=x", "AWS_SESSION_TOKEN=y", "AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z")
		out, stderr, code = runLean(t, bin, env, "status")
		if code != 1 || !strings.Contains(out, "****TGN7") || !strings.Contains(out, "expired") || !strings.Contains(stderr, "expired") {
			t.Errorf("expired status: exit %d\n%s\n%s", code, out, stderr)
		}
	})
}

func TestDoctorSkewedClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig, baseCredentials, testenv.FakeSTS{Skew: 10 * time.Minute}.Start(t).URL)
	r, code, out := doctorJSON(t, f, f.env, "--profile", "project1")
	if code != 1 || r.status("clock") != "error" {
		t.Fatalf("exit %d, clock %s:\n%s", code, r.status("clock"), out)
	}
	if !strings.Contains(r.text("clock"), "10m") || !strings.Contains(r.text("clock"), "behind") {
		t.Errorf("clock: %s", r.text("clock"))
	}
	f2 := newFixture(t, baseConfig, baseCredentials, testenv.FakeSTS{Skew: 2 * time.Minute}.Start(t).URL)
	if r, code, _ := doctorJSON(t, f2, f2.env, "--profile", "project1"); code != 0 || r.status("clock") != "warning" {
		t.Errorf("2 minutes: exit %d, clock %s", code, r.status("clock"))
	}
}

func TestDoctorExpiredToken(t *testing.T) {
	t.Parallel()
	const token = "IQoJb3JpZ2luX2VjEXAMPLEEXPIREDSESSIONTOKEN"
	f := newFixture(t, baseConfig, baseCredentials, testenv.FakeSTS{Skew: 0, Error: "ExpiredToken"}.Start(t).URL)
	env := f.with("AWS_ACCESS_KEY_ID=ASIAEXAMPLEEXAMPTGN7", "AWS_SECRET_ACCESS_KEY="+secretKey,
		"AWS_SESSION_TOKEN="+token, "AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z", "AWS_PROFILE=project1", "AWSENV_PROFILE=project1")
	r, code, out := doctorJSON(t, f, env)
	if code != 1 || r.status("env") != "error" || r.status("identity") != "error" {
		t.Fatalf("exit %d, env %s, identity %s:\n%s", code, r.status("env"), r.status("identity"), out)
	}
	id := r.text("identity")
	if !strings.Contains(id, "ExpiredToken") || !strings.Contains(id, "Expired credentials in this shell") || !strings.Contains(id, "****TGN7") {
		t.Errorf("identity does not explain the expired token:\n%s", id)
	}
	if !strings.Contains(r.text("env"), "unset AWS_SESSION_TOKEN") {
		t.Errorf("no unset lines in the fix:\n%s", r.text("env"))
	}
	noSecretIn(t, "doctor", out, token, "ASIAEXAMPLEEXAMPTGN7")
}
