package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// The profiles of the cache tests: plain roles, one with duration_seconds
// (what the CLI hashes), and two roles behind one MFA device.
const (
	mfaSerial   = "arn:aws:iam::123456789012:mfa/alice"
	cacheConfig = baseConfig + `
[profile project1-2h]
role_arn = ` + roleArn + `
source_profile = user1
duration_seconds = 7200
region = eu-west-1

[profile mfa-a]
role_arn = arn:aws:iam::123456789012:role/MFA-A
source_profile = user1
mfa_serial = ` + mfaSerial + `
region = eu-west-1

[profile mfa-b]
role_arn = arn:aws:iam::123456789012:role/MFA-B
source_profile = user1
mfa_serial = ` + mfaSerial + `
role_session_name = bob
region = eu-west-1
`
)

var accessKeyRE = regexp.MustCompile(`export AWS_ACCESS_KEY_ID='([^']*)'`)

// keyOf is the access key id a bash `use` output exports.
func keyOf(t *testing.T, out string) string {
	t.Helper()
	m := accessKeyRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no AWS_ACCESS_KEY_ID in %q", out)
	}
	return m[1]
}

// expiryOf is the AWS_CREDENTIAL_EXPIRATION a bash `use` output exports.
func expiryOf(t *testing.T, out string) time.Time {
	t.Helper()
	_, rest, _ := strings.Cut(out, "AWS_CREDENTIAL_EXPIRATION='")
	exp, err := time.Parse(time.RFC3339, strings.SplitN(rest, "'", 2)[0])
	if err != nil {
		t.Fatalf("no expiration in %q: %v", out, err)
	}
	return exp
}

// cacheRun runs awsenv (or another program of the fixture's PATH) in a
// new session, without a controlling terminal, so that it can never
// prompt: as from cron, or a prompt hook with no one to ask.
func (f *fixture) cacheRun(env []string, name string, args ...string) (stdout, stderr string, code int) {
	f.t.Helper()
	return f.cacheRunInput(env, "", name, args...)
}

// cacheRunInput is cacheRun with stdin.
func (f *fixture) cacheRunInput(env []string, stdin, name string, args ...string) (stdout, stderr string, code int) {
	f.t.Helper()
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(f.bin, name)
		if name == "aws" {
			path = testenv.LookPath(f.t, "aws")
		}
	}
	cmd := exec.Command(path, args...)
	cmd.Env = env
	testenv.NoTerminal(cmd)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		f.t.Fatalf("%s %v: %v", name, args, err)
	}
	return out.String(), errb.String(), code
}

// use runs `awsenv use` for bash and fails the test unless it succeeds.
func (f *fixture) use(args ...string) string {
	f.t.Helper()
	out, stderr, code := f.cacheRun(f.with("AWSENV_SHELL=bash"), "awsenv", append([]string{"use"}, args...)...)
	if code != 0 || out == "" {
		f.t.Fatalf("awsenv use %v: exit %d, stdout %q\n%s", args, code, out, stderr)
	}
	return out
}

// callerARN asks the real AWS CLI who the profile is; it must not prompt.
func (f *fixture) callerARN(profile string) string {
	f.t.Helper()
	out, stderr, code := f.cacheRun(f.env, "aws", "sts", "get-caller-identity", "--profile", profile, "--output", "json")
	if code != 0 {
		f.t.Fatalf("aws sts get-caller-identity --profile %s: exit %d\n%s", profile, code, stderr)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		f.t.Fatalf("aws output %q: %v", out, err)
	}
	return id.Arn
}

// cliCache lists the AWS CLI cache, failing on anything but entries.
func (f *fixture) cliCache() map[string]string {
	f.t.Helper()
	dir := filepath.Join(f.home, ".aws", "cli", "cache")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			f.t.Errorf("left in the CLI cache: %s", e.Name())
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// counter reports the STS operations moto received since the last report.
//
// It counts operations, not requests: the SDKs send one invocation id
// (amz-sdk-invocation-id) for all the attempts of one call, and moto's
// development server now and then closes a connection under a response
// the Go SDK is still reading, which the SDK retries. A retry is the same
// call; counting it would make these tests flaky.
type counter struct {
	t    *testing.T
	moto *testenv.Moto
	seen map[string]int
}

var counted = []string{"AssumeRole", "GetSessionToken"}

func newCounter(t *testing.T, moto *testenv.Moto) *counter {
	return &counter{t: t, moto: moto, seen: operations(t, moto)}
}

// operations counts moto's recorded STS calls by action.
func operations(t *testing.T, moto *testenv.Moto) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, action := range counted {
		n[action] = moto.Calls(t, action)
	}
	return n
}

// expect checks the operations since the last expect.
func (c *counter) expect(what string, want map[string]int) {
	c.t.Helper()
	now := operations(c.t, c.moto)
	for _, name := range counted {
		if got := now[name] - c.seen[name]; got != want[name] {
			c.t.Errorf("%s: %d %s calls, want %d", what, got, name, want[name])
		}
	}
	c.seen = now
}

// TestCacheSharedWithAWSCLI: awsenv and the real AWS CLI read and write
// one cache, each reusing what the other fetched.
func TestCacheSharedWithAWSCLI(t *testing.T) {
	t.Parallel()
	testenv.LookPath(t, "aws")
	moto := testenv.StartMoto(t)

	t.Run("CLI then awsenv", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		cliArn := f.callerARN("project1")
		calls.expect("aws", map[string]int{"AssumeRole": 1})
		files := f.cliCache()
		if len(files) != 1 {
			t.Fatalf("CLI cache holds %d files, want 1", len(files))
		}
		var cliKey string
		for _, content := range files {
			var e struct{ Credentials struct{ AccessKeyId string } }
			json.Unmarshal([]byte(content), &e)
			cliKey = e.Credentials.AccessKeyId
		}

		// awsenv alone, copied into a folder with nothing beside it: the
		// one binary is the whole tool.
		lean := t.TempDir()
		copyFile(t, filepath.Join(f.bin, "awsenv"), filepath.Join(lean, "awsenv"))
		env := append(f.with("AWSENV_SHELL=bash"), "PATH=/usr/bin:/bin")
		out, stderr, code := f.cacheRun(env, filepath.Join(lean, "awsenv"), "use", "project1")
		if code != 0 {
			t.Fatalf("awsenv alone, on a CLI cache entry: exit %d\n%s", code, stderr)
		}
		if got := keyOf(t, out); got != cliKey {
			t.Errorf("awsenv exported %s, the CLI cached %s", got, cliKey)
		}
		if !strings.Contains(out, "export AWS_REGION='eu-west-1'") {
			t.Errorf("region not exported from the profile:\n%s", out)
		}
		if time.Until(expiryOf(t, out)) < 50*time.Minute {
			t.Errorf("expiry %v is not the cached hour", expiryOf(t, out))
		}
		calls.expect("awsenv after aws", nil)
		if !strings.Contains(cliArn, "botocore-session-") {
			t.Errorf("the CLI's own session is %s", cliArn)
		}
	})

	t.Run("awsenv then CLI", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		key := keyOf(t, f.use("project1"))
		calls.expect("awsenv", map[string]int{"AssumeRole": 1})
		if arn := f.callerARN("project1"); !strings.Contains(arn, "/awsenv-") {
			t.Errorf("the CLI used session %s, not awsenv's", arn)
		}
		calls.expect("aws after awsenv", nil)
		if again := keyOf(t, f.use("project1")); again != key {
			t.Errorf("second use exported %s, want the cached %s", again, key)
		}
		calls.expect("second awsenv", nil)
		if n := len(f.cliCache()); n != 1 {
			t.Errorf("CLI cache holds %d files, want 1", n)
		}
	})

	t.Run("duration", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		// --duration 2h for a profile without duration_seconds is the
		// file of a profile with duration_seconds = 7200.
		out := f.use("project1", "--duration", "2h")
		if left := time.Until(expiryOf(t, out)); left < 118*time.Minute || left > 121*time.Minute {
			t.Errorf("--duration 2h: expires in %v", left)
		}
		calls.expect("--duration 2h", map[string]int{"AssumeRole": 1})
		if arn := f.callerARN("project1-2h"); !strings.Contains(arn, "/awsenv-") {
			t.Errorf("the CLI's duration_seconds = 7200 profile used session %s, not awsenv's", arn)
		}
		calls.expect("aws --profile project1-2h", nil)
		// A one-hour request never gets the two-hour session, nor the
		// other way round.
		hour := f.use("project1")
		if left := time.Until(expiryOf(t, hour)); left > 61*time.Minute {
			t.Errorf("plain use got a %v session", left)
		}
		calls.expect("plain use", map[string]int{"AssumeRole": 1})
		if keyOf(t, f.use("project1", "--duration", "1h")) != keyOf(t, hour) {
			t.Error("--duration 1h did not reuse the default hour")
		}
		if keyOf(t, f.use("project1-2h")) != keyOf(t, out) {
			t.Error("the duration_seconds profile did not reuse the --duration 2h session")
		}
		calls.expect("repeats", nil)
		if n := len(f.cliCache()); n != 2 {
			t.Errorf("CLI cache holds %d files, want 2", n)
		}
	})

	t.Run("refresh", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		first := keyOf(t, f.use("project1"))
		f.ageEntries()
		second := keyOf(t, f.use("project1", "--refresh"))
		calls.expect("use, use --refresh", map[string]int{"AssumeRole": 2})
		if first == second {
			t.Fatal("--refresh exported the cached keys")
		}
		if keyOf(t, f.use("project1")) != second {
			t.Error("the refreshed entry was not stored")
		}
		f.callerARN("project1")
		calls.expect("after --refresh", nil)
	})

	t.Run("corrupt and expiring entries", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		f.use("project1")
		calls.expect("first use", map[string]int{"AssumeRole": 1})
		var path string
		for name := range f.cliCache() {
			path = filepath.Join(f.home, ".aws", "cli", "cache", name)
		}
		good, _ := os.ReadFile(path)
		soon := regexp.MustCompile(`"Expiration": ?"[^"]*"`).ReplaceAll(good,
			[]byte(`"Expiration": "`+time.Now().Add(10*time.Minute).UTC().Format("2006-01-02T15:04:05UTC")+`"`))
		for name, content := range map[string][]byte{
			"truncated":           good[:len(good)/2],
			"empty":               nil,
			"foreign":             []byte(`{"accessToken": "x", "expiresAt": "2099-01-01T00:00:00Z"}`),
			"within the margin":   soon,
			"not JSON":            []byte("\x00\xff garbage"),
			"credentials missing": []byte(`{"Credentials": {"Expiration": "2099-01-01T00:00:00Z"}}`),
		} {
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := f.cacheRun(f.with("AWSENV_SHELL=bash"), "awsenv", "use", "project1")
			if code != 0 || !strings.HasPrefix(keyOf(t, out), "ASIA") {
				t.Errorf("%s entry: exit %d\n%s", name, code, stderr)
			}
			calls.expect(name+" entry", map[string]int{"AssumeRole": 1})
			// Replaced: the CLI takes the new file as it is.
			f.callerARN("project1")
			calls.expect(name+" entry, then aws", nil)
		}
	})

	t.Run("permissions", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		// The CLI made the folder, with the umask's 0755.
		dir := filepath.Join(f.home, ".aws", "cli", "cache")
		os.MkdirAll(dir, 0o755)
		os.Chmod(dir, 0o755)
		f.use("project1")
		f.use("mfa-a", "--mfa-token", "123456")
		mfaDir := filepath.Join(f.home, ".cache", "awsenv", "mfa")
		for _, d := range []string{dir, mfaDir} {
			fi, err := os.Stat(d)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o700 {
				t.Errorf("%s: mode %v, want 0700", d, fi.Mode().Perm())
			}
			entries, _ := os.ReadDir(d)
			if len(entries) == 0 {
				t.Errorf("%s is empty", d)
			}
			for _, e := range entries {
				fi, _ := e.Info()
				if fi.Mode().Perm() != 0o600 || !strings.HasSuffix(e.Name(), ".json") {
					t.Errorf("%s/%s: mode %v, want a 0600 .json entry", d, e.Name(), fi.Mode().Perm())
				}
			}
		}
	})
}

// expireEntries rewrites every CLI cache entry to expire in left, in the
// "UTC" form botocore writes for parsed timestamps.
func (f *fixture) expireEntries(left time.Duration) {
	f.t.Helper()
	exp := regexp.MustCompile(`"Expiration": ?"[^"]*"`)
	for name, content := range f.cliCache() {
		path := filepath.Join(f.home, ".aws", "cli", "cache", name)
		b := exp.ReplaceAll([]byte(content), []byte(`"Expiration": "`+time.Now().Add(left).UTC().Format("2006-01-02T15:04:05UTC")+`"`))
		if err := os.WriteFile(path, b, 0o600); err != nil {
			f.t.Fatal(err)
		}
	}
}

// ageEntries makes the AWS CLI's cache entries a minute old, as if from an
// earlier command: one written in the five seconds before a command
// started counts as fetched for it, even with --refresh.
func (f *fixture) ageEntries() {
	f.t.Helper()
	old := time.Now().Add(-time.Minute)
	for name := range f.cliCache() {
		if err := os.Chtimes(filepath.Join(f.home, ".aws", "cli", "cache", name), old, old); err != nil {
			f.t.Fatal(err)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestCacheConcurrentUse: sixteen shells refreshing at once make one STS
// call and all export the same keys.
func TestCacheConcurrentUse(t *testing.T) {
	t.Parallel()
	moto := testenv.StartMoto(t)
	for _, tc := range []struct {
		profile  string
		args     []string
		expiring bool // the hourly refresh: an entry inside the margin
		want     map[string]int
		refresh  bool          // `awsenv refresh`, as the prompt hooks of 16 panes run it
		left     time.Duration // with refresh: the time left in the shell; 10m by default
	}{
		{"project1", nil, false, map[string]int{"AssumeRole": 1}, false, 0},
		{"project1", nil, true, map[string]int{"AssumeRole": 1}, false, 0},
		{"mfa-a", []string{"--mfa-token", "123456"}, false, map[string]int{"AssumeRole": 1, "GetSessionToken": 1}, false, 0},
		{"project1", []string{"--no-prompt"}, true, map[string]int{"AssumeRole": 1}, true, 0},
		// Asking for new credentials, each of sixteen at once: the one that
		// fetches them fetches them for all.
		{"project1", []string{"--refresh"}, false, map[string]int{"AssumeRole": 1}, false, 0},
		{"project1", nil, false, map[string]int{"AssumeRole": 1}, true, 50 * time.Minute},
	} {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		args := append([]string{"use", tc.profile}, tc.args...)
		env := f.with("AWSENV_SHELL=bash")
		if tc.refresh {
			left := tc.left
			if left == 0 {
				left = 10 * time.Minute
			}
			args = append([]string{"refresh"}, tc.args...)
			env = f.with("AWSENV_SHELL=bash", "AWSENV_PROFILE="+tc.profile,
				"AWS_CREDENTIAL_EXPIRATION="+time.Now().Add(left).UTC().Format(time.RFC3339))
		}
		if tc.expiring {
			f.use(tc.profile)
			calls.expect("first use", map[string]int{"AssumeRole": 1})
			f.expireEntries(10 * time.Minute)
		}
		const n = 16
		outs := make([]string, n)
		errs := make([]string, n)
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i], errs[i], codes[i] = f.cacheRun(env, "awsenv", args...)
			}()
		}
		wg.Wait()
		keys := map[string]bool{}
		for i := range n {
			if codes[i] != 0 {
				t.Fatalf("%v #%d: exit %d\n%s", args, i, codes[i], errs[i])
			}
			keys[keyOf(t, outs[i])] = true
		}
		if len(keys) != 1 {
			t.Errorf("%v x%d exported %d different keys, want 1", args, n, len(keys))
		}
		calls.expect(strings.Join(args, " ")+" x16", tc.want)
	}
}

// TestCacheMFAOnce: one code opens an MFA session that serves every role
// behind the same source profile and device; the AWS CLI then reuses the
// roles' entries without asking for a code either.
func TestCacheMFAOnce(t *testing.T) {
	t.Parallel()
	moto := testenv.StartMoto(t)

	t.Run("no code and no terminal", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		out, stderr, code := f.cacheRun(f.with("AWSENV_SHELL=bash"), "awsenv", "use", "mfa-a")
		if code != 1 || out != "" {
			t.Errorf("exit %d, stdout %q; want 1 and nothing", code, out)
		}
		for _, want := range []string{mfaSerial, `"mfa-a"`, "--mfa-token"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q: %s", want, stderr)
			}
		}
		calls.expect("no code", nil)
	})

	t.Run("one code, two roles", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		f.use("mfa-a", "--mfa-token", "123456")
		calls.expect("mfa-a with a code", map[string]int{"GetSessionToken": 1, "AssumeRole": 1})
		// No code and no terminal: the MFA session is enough.
		f.use("mfa-b")
		calls.expect("mfa-b without a code", map[string]int{"AssumeRole": 1})
		// The hourly refresh needs no code either.
		f.ageEntries()
		f.use("mfa-a", "--refresh")
		calls.expect("mfa-a --refresh", map[string]int{"AssumeRole": 1})
		// The CLI finds both roles under its own keys (which include
		// SerialNumber) and does not prompt: it has no terminal here.
		for _, p := range []string{"mfa-a", "mfa-b"} {
			if arn := f.callerARN(p); !strings.Contains(arn, ":assumed-role/MFA-") {
				t.Errorf("aws --profile %s: %s", p, arn)
			}
		}
		calls.expect("aws after awsenv", nil)
	})

	t.Run("CLI code, then awsenv without one", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		// Without a terminal, the CLI's getpass reads the code from stdin.
		_, stderr, code := f.cacheRunInput(f.env, "123456\n", "aws", "sts", "get-caller-identity", "--profile", "mfa-b")
		if code != 0 {
			t.Fatalf("aws with an MFA code: exit %d\n%s", code, stderr)
		}
		calls.expect("aws with a code", map[string]int{"AssumeRole": 1})
		f.use("mfa-b")
		calls.expect("awsenv after the CLI's code", nil)
	})

	t.Run("prompt on the terminal", func(t *testing.T) {
		f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
		calls := newCounter(t, moto)
		// Bash writes its history on exit, into a HOME being removed.
		tm := testenv.StartTmux(t, "bash", f.with("HISTFILE="), "")
		tm.Send(`eval "$(awsenv use mfa-a)"; echo "A=$AWS_ACCESS_KEY_ID"`)
		tm.WaitFor("MFA code for "+mfaSerial, 20*time.Second)
		tm.Send("123456")
		tm.WaitFor("A=ASIA", 20*time.Second)
		if got := tm.Run(`eval "$(awsenv use mfa-b)"; echo "B=${AWS_ACCESS_KEY_ID:0:4}"`); !strings.HasSuffix(got, "\nB=ASIA") {
			t.Errorf("mfa-b in the same terminal: %q", got)
		}
		if n := strings.Count(tm.Capture(), "MFA code for"); n != 1 {
			t.Errorf("asked for a code %d times, want once:\n%s", n, tm.Capture())
		}
		calls.expect("two roles at a terminal", map[string]int{"GetSessionToken": 1, "AssumeRole": 2})
	})
}
