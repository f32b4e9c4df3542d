package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// now is the fixed time of every unit test.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const (
	akia   = "AKIAIOSFODNN7EXAMPLE"
	asia   = "ASIAIOSFODNN7EXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token  = "FQoGZXIvYXdzEXAMPLESESSIONTOKENVALUE"
)

// fixture is a home folder with shared files and a set of variables.
type fixture struct {
	config, credentials string
	vars                map[string]string
	opts                Options
	lookPath            func(string) (string, error)
}

func (fx fixture) run(t *testing.T) *run {
	t.Helper()
	home := t.TempDir()
	cf := filepath.Join(home, ".aws", "config")
	crf := filepath.Join(home, ".aws", "credentials")
	os.MkdirAll(filepath.Dir(cf), 0o700)
	if fx.config != "" {
		os.WriteFile(cf, []byte(fx.config), 0o600)
	}
	if fx.credentials != "" {
		os.WriteFile(crf, []byte(fx.credentials), 0o600)
	}
	vars := map[string]string{"HOME": home}
	for k, v := range fx.vars {
		vars[k] = v
	}
	lp := fx.lookPath
	if lp == nil {
		lp = func(string) (string, error) { return "", errors.New("not found") }
	}
	return newRun(fx.opts, env{
		getenv:     func(k string) string { return vars[k] },
		now:        func() time.Time { return now },
		lookPath:   lp,
		configFile: cf, credentialsFile: crf,
	})
}

// worst returns the most serious status among findings.
func worst(fs []Finding) Status {
	rank := map[Status]int{Skipped: 0, OK: 1, Warning: 2, Error: 3}
	w := Skipped
	for _, f := range fs {
		if rank[f.Status] > rank[w] {
			w = f.Status
		}
	}
	return w
}

func titles(fs []Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, fmt.Sprintf("%s: %s: %s", f.Status, f.Title, f.Found))
	}
	return strings.Join(s, "\n")
}

// noSecrets fails if any secret appears in the findings.
func noSecrets(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		all := f.Title + f.Found + f.Why + f.Fix + f.Fixed + strings.Join(f.Details, "")
		for _, s := range []string{secret, token, akia, asia} {
			if strings.Contains(all, s) {
				t.Errorf("finding %q shows a secret or full key %q", f.Title, s)
			}
		}
	}
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func TestCheckEnv(t *testing.T) {
	tests := []struct {
		name  string
		vars  map[string]string
		want  Status
		title string
	}{
		{"none", nil, OK, ""},
		{"complete and valid", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_CREDENTIAL_EXPIRATION": rfc(now.Add(time.Hour))}, OK, ""},
		{"long-term pair", map[string]string{"AWS_ACCESS_KEY_ID": akia, "AWS_SECRET_ACCESS_KEY": secret}, OK, ""},
		{"expired", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_CREDENTIAL_EXPIRATION": rfc(now.Add(-time.Minute))}, Error, "Expired credentials in this shell"},
		{"session expiration expired", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_SESSION_EXPIRATION": rfc(now.Add(-time.Hour))}, Error, "Expired credentials in this shell"},
		{"near expiry", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_CREDENTIAL_EXPIRATION": rfc(now.Add(2 * time.Minute))}, Warning, "Credentials about to expire"},
		{"key without secret", map[string]string{"AWS_ACCESS_KEY_ID": akia}, Error, "Incomplete credential variables"},
		{"secret without key", map[string]string{"AWS_SECRET_ACCESS_KEY": secret}, Error, "Incomplete credential variables"},
		{"token beside long-term key", map[string]string{"AWS_ACCESS_KEY_ID": akia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}, Error, "Session token beside a long-term key"},
		{"temporary key without token", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret}, Error, "Temporary key without a session token"},
		{"short secret", map[string]string{"AWS_ACCESS_KEY_ID": akia, "AWS_SECRET_ACCESS_KEY": secret[:39]}, Warning, "Unusual secret key length"},
		{"stale security token", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_SECURITY_TOKEN": "old"}, Warning, "Stale AWS_SECURITY_TOKEN"},
		{"same security token", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_SECURITY_TOKEN": token}, OK, ""},
		{"unreadable expiry", map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token, "AWS_CREDENTIAL_EXPIRATION": "tomorrow"}, Warning, "Unreadable expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := fixture{vars: tt.vars}.run(t).checkEnv()
			if got := worst(fs); got != tt.want {
				t.Fatalf("status %s, want %s:\n%s", got, tt.want, titles(fs))
			}
			if tt.title != "" && !strings.Contains(titles(fs), tt.title) {
				t.Errorf("no finding %q:\n%s", tt.title, titles(fs))
			}
			noSecrets(t, fs)
		})
	}
}

func TestCheckEnvExpiredFixHasUnsetLines(t *testing.T) {
	fs := fixture{vars: map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token,
		"AWS_CREDENTIAL_EXPIRATION": rfc(now.Add(-time.Minute)), "AWSENV_SHELL": "fish"}}.run(t).checkEnv()
	if !strings.Contains(fs[0].Fix, "awsenv clear") || !strings.Contains(fs[0].Fix, "set -e AWS_SESSION_TOKEN") {
		t.Errorf("fix lacks `awsenv clear` or fish's unset lines: %s", fs[0].Fix)
	}
}

func TestCheckPrecedence(t *testing.T) {
	keys := map[string]string{"AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range keys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		vars    map[string]string
		profile string
		want    Status
	}{
		{"no variables", map[string]string{"AWS_PROFILE": "app"}, "", OK},
		{"set by awsenv", with(map[string]string{"AWS_PROFILE": "app", "AWSENV_PROFILE": "app"}), "", OK},
		{"variables without a profile", keys, "", OK},
		{"AWS_PROFILE changed after awsenv", with(map[string]string{"AWS_PROFILE": "other", "AWSENV_PROFILE": "app"}), "", Warning},
		{"variables from elsewhere", with(map[string]string{"AWS_PROFILE": "app", "AWS_VAULT": "x"}), "", Warning},
		{"--profile is not the shell's", with(map[string]string{"AWSENV_PROFILE": "app"}), "prod", Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fixture{vars: tt.vars, opts: Options{Profile: tt.profile}}.run(t).checkPrecedence()
			if f.Status != tt.want {
				t.Fatalf("status %s, want %s: %s", f.Status, tt.want, f.Found)
			}
			noSecrets(t, []Finding{f})
		})
	}
}

const baseCreds = "[base]\naws_access_key_id = " + akia + "\naws_secret_access_key = " + secret + "\n"

func TestCheckProfile(t *testing.T) {
	tests := []struct {
		name       string
		config     string
		creds      string
		vars       map[string]string
		profile    string
		want       Status
		title, fix string
	}{
		{name: "role with region", config: "[profile app]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nregion = eu-west-1\n", creds: baseCreds, profile: "app", want: OK},
		{name: "region from the environment", config: "[profile app]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n", creds: baseCreds, vars: map[string]string{"AWS_REGION": "eu-west-1"}, profile: "app", want: OK},
		{name: "missing region", config: "[profile app]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n", creds: baseCreds, profile: "app", want: Warning, title: "No region"},
		{name: "not found", config: "[profile app]\nregion = eu-west-1\n", profile: "ap", want: Error, title: "Profile not found", fix: "awsenv list"},
		{name: "static token expired", creds: "[old]\naws_access_key_id = " + asia + "\naws_secret_access_key = " + secret + "\naws_session_token = " + token + "\nx_security_token_expires = " + rfc(now.Add(-time.Hour)) + "\n",
			vars: map[string]string{"AWS_REGION": "eu-west-1"}, profile: "old", want: Error, title: "Session token stored in a file", fix: "source_profile = old-base"},
		{name: "static token", creds: "[old]\naws_access_key_id = " + asia + "\naws_secret_access_key = " + secret + "\naws_session_token = " + token + "\n",
			vars: map[string]string{"AWS_REGION": "eu-west-1"}, profile: "old", want: Warning, title: "Session token stored in a file", fix: "role_arn = arn:aws:iam::<account-id>:role/<role-name>"},
		{name: "source_profile loop", config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\nregion = eu-west-1\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n", profile: "a", want: Error, title: "Broken source_profile chain"},
		{name: "missing source_profile", config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = gone\nregion = eu-west-1\n", profile: "a", want: Error, title: "Broken source_profile chain"},
		{name: "self source with keys", config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\nregion = eu-west-1\n", creds: "[a]\naws_access_key_id = " + akia + "\naws_secret_access_key = " + secret + "\n", profile: "a", want: OK},
		{name: "both source_profile and credential_source", config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\ncredential_source = Environment\nregion = eu-west-1\n", creds: baseCreds, profile: "a", want: Error},
		{name: "no default profile", config: "[profile app]\nregion = eu-west-1\n", want: Warning, title: "No default profile"},
		{name: "default missing but variables set", vars: map[string]string{"AWS_ACCESS_KEY_ID": akia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "eu-west-1"}, want: OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := fixture{config: tt.config, credentials: tt.creds, vars: tt.vars, opts: Options{Profile: tt.profile}}.run(t).checkProfile()
			if got := worst(fs); got != tt.want {
				t.Fatalf("status %s, want %s:\n%s", got, tt.want, titles(fs))
			}
			if tt.title != "" && !strings.Contains(titles(fs), tt.title) {
				t.Errorf("no finding %q:\n%s", tt.title, titles(fs))
			}
			if tt.fix != "" {
				var fixes string
				for _, f := range fs {
					fixes += f.Fix
				}
				if !strings.Contains(fixes, tt.fix) {
					t.Errorf("fix lacks %q:\n%s", tt.fix, fixes)
				}
			}
			noSecrets(t, fs)
		})
	}
}

// writeCache writes a CLI-style cache entry expiring at exp.
func writeCache(t *testing.T, dir, name string, exp time.Time) string {
	t.Helper()
	os.MkdirAll(dir, 0o700)
	path := filepath.Join(dir, name)
	body := fmt.Sprintf(`{"Credentials": {"AccessKeyId": %q, "SecretAccessKey": %q, "SessionToken": %q, "Expiration": %q}}`, asia, secret, token, exp.Format("2006-01-02T15:04:05-07:00"))
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckCaches(t *testing.T) {
	for _, fix := range []bool{false, true} {
		t.Run(fmt.Sprintf("fix=%v", fix), func(t *testing.T) {
			r := fixture{opts: Options{Fix: fix}}.run(t)
			dirs := cache.Dirs(r.getenv)
			const key = "0123456789abcdef0123456789abcdef01234567.json"
			valid := writeCache(t, dirs[cache.NameCLI], "valid.json", now.Add(time.Hour))
			expired := writeCache(t, dirs[cache.NameCLI], key, now.Add(-time.Hour))
			corrupt := filepath.Join(dirs[cache.NameCLI], "corrupt.json")
			os.WriteFile(corrupt, []byte("{not json"), 0o600)
			own := writeCache(t, cache.MFADir(dirs[cache.NameAwsenv]), key, now.Add(-time.Minute))
			// Expired, but not the CLI's: kept, whatever --fix says.
			notKey := writeCache(t, dirs[cache.NameAwsenv], "app.json", now.Add(-time.Minute))
			nested := writeCache(t, filepath.Join(dirs[cache.NameCLI], "sub"), key, now.Add(-time.Hour))

			fs := r.checkCaches()
			if len(fs) != 2 {
				t.Fatalf("want one finding per cache:\n%s", titles(fs))
			}
			// Corrupt entries are reported, not fatal, and never deleted.
			if fs[0].Status != Warning || !strings.Contains(fs[0].Fix, corrupt) {
				t.Errorf("CLI cache: %s %s (fix %q)", fs[0].Status, fs[0].Found, fs[0].Fix)
			}
			exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
			if !exists(valid) || !exists(corrupt) {
				t.Error("a valid or unreadable entry was deleted")
			}
			if !exists(notKey) || !exists(nested) {
				t.Error("deleted a file that is not a CLI entry at the top of a cache folder")
			}
			if exists(expired) == fix || exists(own) == fix {
				t.Errorf("expired entries exist = %v, %v with fix=%v", exists(expired), exists(own), fix)
			}
			if fix && (fs[1].Status != OK || fs[1].Fixed == "") {
				t.Errorf("awsenv cache after --fix: %s, fixed %q", fs[1].Status, fs[1].Fixed)
			}
			if !fix && fs[1].Status != Warning {
				t.Errorf("awsenv cache with an expired entry: %s", fs[1].Status)
			}
			noSecrets(t, fs)
		})
	}
	for _, fix := range []bool{false, true} {
		t.Run(fmt.Sprintf("group-writable folder, fix=%v", fix), func(t *testing.T) {
			r := fixture{opts: Options{Fix: fix}}.run(t)
			dir := cache.Dirs(r.getenv)[cache.NameCLI]
			writeCache(t, dir, "valid.json", now.Add(time.Hour))
			os.Chmod(dir, 0o775)
			fs := r.checkCaches()
			fi, _ := os.Stat(dir)
			if !fix && (fs[0].Status != Warning || !strings.Contains(fs[0].Found, "can be written by others") || fi.Mode().Perm() != 0o775) {
				t.Errorf("without --fix: %s %s, mode %v", fs[0].Status, fs[0].Found, fi.Mode().Perm())
			}
			if fix && (fs[0].Status != OK || !strings.Contains(fs[0].Fixed, "private") || fi.Mode().Perm() != 0o700) {
				t.Errorf("with --fix: %s %s (fixed %q), mode %v", fs[0].Status, fs[0].Found, fs[0].Fixed, fi.Mode().Perm())
			}
		})
	}
	t.Run("valid only", func(t *testing.T) {
		r := fixture{}.run(t)
		writeCache(t, cache.Dirs(r.getenv)[cache.NameCLI], "valid.json", now.Add(time.Hour))
		if fs := r.checkCaches(); worst(fs) != OK {
			t.Errorf("valid cache:\n%s", titles(fs))
		}
	})
}

func TestCheckFiles(t *testing.T) {
	t.Run("private and well-formed", func(t *testing.T) {
		fs := fixture{config: "[default]\nregion = eu-west-1\n", credentials: baseCreds}.run(t).checkFiles()
		if worst(fs) != OK {
			t.Errorf("\n%s", titles(fs))
		}
	})
	for _, fix := range []bool{false, true} {
		t.Run(fmt.Sprintf("readable by others, fix=%v", fix), func(t *testing.T) {
			r := fixture{config: "[default]\nregion = eu-west-1\n", credentials: baseCreds, opts: Options{Fix: fix}}.run(t)
			os.Chmod(r.credentialsFile, 0o644)
			fs := r.checkFiles()
			want := Warning
			if fix {
				want = OK
			}
			if worst(fs) != want {
				t.Errorf("status %s, want %s:\n%s", worst(fs), want, titles(fs))
			}
			fi, _ := os.Stat(r.credentialsFile)
			if (fi.Mode().Perm() == 0o600) != fix {
				t.Errorf("mode %o after fix=%v", fi.Mode().Perm(), fix)
			}
		})
	}
	t.Run("malformed line", func(t *testing.T) {
		r := fixture{config: "[default]\nregion = eu-west-1\n" + secret + "\n"}.run(t)
		fs := r.checkFiles()
		if worst(fs) != Error || !strings.Contains(titles(fs), r.configFile+":3") {
			t.Errorf("want an error naming %s:3:\n%s", r.configFile, titles(fs))
		}
		noSecrets(t, fs)
	})
	t.Run("misnamed sections", func(t *testing.T) {
		r := fixture{config: "[app]\nregion = eu-west-1\n", credentials: "[profile base]\naws_access_key_id = x\n"}.run(t)
		fs := r.checkFiles()
		got := titles(fs)
		if worst(fs) != Warning || !strings.Contains(got, "[profile app]") || !strings.Contains(got, "the header is [base]") {
			t.Errorf("want both misnamed sections:\n%s", got)
		}
		if strings.Count(got, r.credentialsFile+":1") != 1 {
			t.Errorf("[profile base] should be named once:\n%s", got)
		}
	})
	t.Run("read differently by the CLI", func(t *testing.T) {
		r := fixture{config: "[default]\nregion = eu-west-1 # Ireland\n", credentials: baseCreds}.run(t)
		fs := r.checkFiles()
		if got := titles(fs); worst(fs) != Warning || !strings.Contains(got, r.configFile+":2") {
			t.Errorf("want a warning for %s:2:\n%s", r.configFile, got)
		}
	})
}

func TestCheckTooling(t *testing.T) {
	fake := func(version string) func(string) (string, error) {
		return func(string) (string, error) {
			path := filepath.Join(t.TempDir(), "aws")
			script := "#!/bin/sh\necho '" + version + "'\n"
			return path, os.WriteFile(path, []byte(script), 0o755)
		}
	}
	tests := []struct {
		name string
		look func(string) (string, error)
		want Status
	}{
		{"not installed", nil, OK},
		{"v2", fake("aws-cli/2.22.0 Python/3.12.6 Linux/6.1 exe/x86_64"), OK},
		{"v1", fake("aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11"), Warning},
		{"broken", fake("Traceback (most recent call last):"), Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fixture{lookPath: tt.look}.run(t).checkTooling(context.Background())
			if f.Status != tt.want {
				t.Errorf("status %s, want %s: %s", f.Status, tt.want, f.Found)
			}
		})
	}
}

func TestCheckDuration(t *testing.T) {
	config := "[profile direct]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = base\n" +
		"[profile chained]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = direct\n" +
		"[profile long]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = direct\nduration_seconds = 7200\n"
	tests := []struct {
		profile string
		d       time.Duration
		want    Status
	}{
		{"base", 0, OK},
		{"direct", 0, OK},
		{"direct", 4 * time.Hour, OK},
		{"direct", 13 * time.Hour, Error},
		{"direct", 10 * time.Minute, Error},
		{"chained", time.Hour, OK},
		{"chained", 2 * time.Hour, Error},
		{"long", 0, Error},
		{"long", time.Hour, OK},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.profile, tt.d), func(t *testing.T) {
			f := fixture{config: config, credentials: baseCreds, opts: Options{Profile: tt.profile, Duration: tt.d}}.run(t).checkDuration()
			if f.Status != tt.want {
				t.Errorf("status %s, want %s: %s", f.Status, tt.want, f.Found)
			}
		})
	}
}

func TestCheckClock(t *testing.T) {
	tests := []struct {
		name   string
		offset time.Duration // endpoint minus local
		want   Status
	}{
		{"in step", 0, OK},
		{"30s", 30 * time.Second, OK},
		{"2m behind", 2 * time.Minute, Warning},
		{"2m ahead", -2 * time.Minute, Warning},
		{"10m", 10 * time.Minute, Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixture{}.run(t)
			r.sent = now
			r.received = now.Add(100 * time.Millisecond)
			r.date = now.Add(50 * time.Millisecond).Add(tt.offset).Truncate(time.Second)
			if f := r.checkClock(); f.Status != tt.want {
				t.Errorf("status %s, want %s: %s", f.Status, tt.want, f.Found)
			}
		})
	}
	t.Run("no answer", func(t *testing.T) {
		if f := (fixture{}).run(t).checkClock(); f.Status != Skipped {
			t.Errorf("status %s, want skipped", f.Status)
		}
	})
}

func TestCheckReachability(t *testing.T) {
	sts := testenv.FakeSTS{}.Start(t)
	closed := func() string {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "needs-auth.example" {
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		w.Header().Set("X-Proxied", "1")
	}))
	t.Cleanup(proxy.Close)
	tests := []struct {
		name   string
		vars   map[string]string
		want   Status
		detail string
	}{
		{"reachable", map[string]string{"AWS_ENDPOINT_URL_STS": sts.URL}, OK, "endpoint " + sts.URL + " (from AWS_ENDPOINT_URL_STS)"},
		{"AWS_ENDPOINT_URL", map[string]string{"AWS_ENDPOINT_URL": sts.URL}, OK, "(from AWS_ENDPOINT_URL)"},
		{"refused", map[string]string{"AWS_ENDPOINT_URL_STS": closed}, Error, ""},
		{"not a URL", map[string]string{"AWS_ENDPOINT_URL_STS": "sts.example.com"}, Error, ""},
		{"no such host", map[string]string{"AWS_ENDPOINT_URL_STS": "http://sts.awsenv-test.invalid"}, Error, ""},
		{"through a proxy", map[string]string{"AWS_ENDPOINT_URL_STS": "http://sts.example.com", "HTTP_PROXY": "http://user:pw@" + strings.TrimPrefix(proxy.URL, "http://")}, OK, "through proxy http://user:xxxxx@"},
		{"proxy wants credentials", map[string]string{"AWS_ENDPOINT_URL_STS": "http://needs-auth.example", "HTTP_PROXY": proxy.URL}, Error, ""},
		{"NO_PROXY", map[string]string{"AWS_ENDPOINT_URL_STS": "http://sts.awsenv-test.invalid", "HTTP_PROXY": proxy.URL, "NO_PROXY": ".invalid"}, Error, "NO_PROXY excludes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := fixture{vars: tt.vars}.run(t)
			ctx, cancel := context.WithTimeout(context.Background(), networkBudget)
			defer cancel()
			start := time.Now()
			f := r.checkReachability(ctx)
			if f.Status != tt.want {
				t.Errorf("status %s, want %s: %s", f.Status, tt.want, f.Found)
			}
			if d := time.Since(start); d > networkBudget+time.Second {
				t.Errorf("took %s", d)
			}
			if tt.detail != "" && !strings.Contains(strings.Join(f.Details, "\n"), tt.detail) {
				t.Errorf("details lack %q:\n%s", tt.detail, strings.Join(f.Details, "\n"))
			}
			if strings.Contains(f.Found+strings.Join(f.Details, ""), ":pw@") {
				t.Error("proxy password shown")
			}
		})
	}
}

func TestNoProxy(t *testing.T) {
	for _, tt := range []struct {
		host, list string
		want       bool
	}{
		{"sts.amazonaws.com", "", false},
		{"sts.amazonaws.com", "*", true},
		{"sts.amazonaws.com", "amazonaws.com", true},
		{"sts.amazonaws.com", ".amazonaws.com", true},
		{"sts.amazonaws.com", "example.com, sts.amazonaws.com:443", true},
		{"notamazonaws.com", "amazonaws.com", false},
	} {
		if got := noProxy(tt.host, tt.list); got != tt.want {
			t.Errorf("noProxy(%q, %q) = %v", tt.host, tt.list, got)
		}
	}
}

func TestCheckIdentity(t *testing.T) {
	envKeys := func(url string) map[string]string {
		return map[string]string{"AWS_ENDPOINT_URL_STS": url, "AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret,
			"AWS_SESSION_TOKEN": token, "AWS_CREDENTIAL_EXPIRATION": rfc(now.Add(-time.Minute))}
	}
	tests := []struct {
		name    string
		vars    map[string]string
		creds   string
		profile string
		want    Status
		text    string
	}{
		{"valid variables", envKeys(testenv.FakeSTS{}.Start(t).URL), "", "", OK, "account 123456789012"},
		{"expired token", envKeys(testenv.FakeSTS{Error: "ExpiredToken"}.Start(t).URL), "", "", Error, "Expired credentials in this shell"},
		{"unknown key", envKeys(testenv.FakeSTS{Error: "InvalidClientTokenId"}.Start(t).URL), "", "", Error, "deleted or deactivated"},
		{"bad signature", envKeys(testenv.FakeSTS{Error: "SignatureDoesNotMatch"}.Start(t).URL), "", "", Error, "does not belong to the access key id"},
		{"profile keys", map[string]string{"AWS_ENDPOINT_URL_STS": testenv.FakeSTS{}.Start(t).URL}, baseCreds, "base", OK, "profile \"base\""},
		{"nothing to check", map[string]string{"AWS_ENDPOINT_URL_STS": testenv.FakeSTS{}.Start(t).URL}, "", "", Skipped, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := fixture{vars: tt.vars, credentials: tt.creds, opts: Options{Profile: tt.profile}}.run(t)
			r.report.Add(r.checkEnv()...)
			ctx := context.Background()
			r.checkReachability(ctx)
			fs := r.checkIdentity(ctx)
			if got := worst(fs); got != tt.want {
				t.Fatalf("status %s, want %s:\n%s", got, tt.want, titles(fs))
			}
			var all string
			for _, f := range fs {
				all += f.Found + f.Why + f.Fix
			}
			if !strings.Contains(all, tt.text) {
				t.Errorf("want %q in:\n%s", tt.text, all)
			}
			noSecrets(t, fs)
		})
	}
}

func TestRunSkewedEndpoint(t *testing.T) {
	sts := testenv.FakeSTS{Skew: 10 * time.Minute, Error: "ExpiredToken"}.Start(t)
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "AWS_ENDPOINT_URL_STS": sts.URL, "AWS_ACCESS_KEY_ID": asia, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token}
	rep := runWith(context.Background(), Options{}, env{
		getenv: func(k string) string { return vars[k] }, now: time.Now,
		lookPath:   func(string) (string, error) { return "", errors.New("no") },
		configFile: filepath.Join(home, "config"), credentialsFile: filepath.Join(home, "credentials"),
	})
	var clock, identity Finding
	for _, f := range rep.Findings {
		switch f.Check {
		case "clock":
			clock = f
		case "identity":
			identity = f
		}
	}
	if clock.Status != Error {
		t.Errorf("clock: %s %s", clock.Status, clock.Found)
	}
	if identity.Status != Error || !strings.Contains(identity.Why, "Clock skew") {
		t.Errorf("identity should name the clock as the likely cause: %s %s", identity.Status, identity.Why)
	}
	if !rep.Failed() {
		t.Error("report with errors does not fail")
	}
}

func TestCheckSSO(t *testing.T) {
	config := "[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n"
	tok := func(exp time.Time, extra string) string {
		return `{"startUrl": "https://x.awsapps.com/start", "accessToken": "a", "expiresAt": "` + rfc(exp) + `"` + extra + `}`
	}
	renewable := `, "refreshToken": "r", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "` + rfc(now.Add(24*time.Hour)) + `"`
	tests := []struct {
		name, token string
		want        Status
		found, fix  string
	}{
		{"no login", "", Warning, "not logged in", "awsenv login sso"},
		{"unreadable", `{"expiresAt": "soon"}`, Warning, "cannot be used", "awsenv login sso"},
		{"valid", tok(now.Add(time.Hour), ""), OK, "no refresh token is held", "when it has expired"},
		{"expired", tok(now.Add(-time.Hour), ""), Error, "holds no refresh token", "awsenv login sso"},
		{"expired but renewable", tok(now.Add(-time.Hour), renewable), OK, "a refresh token is held, and awsenv renews it silently", ""},
		{"other start URL", `{"startUrl": "https://y.awsapps.com/start", "accessToken": "a", "expiresAt": "` + rfc(now.Add(time.Hour)) + `"}`, Warning, "another start URL", "awsenv login sso"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixture{config: config, opts: Options{Profile: "sso"}}.run(t)
			if tt.token != "" {
				path := cache.SSOTokenFile(cache.Dirs(r.getenv)[cache.NameSSO], r.prof)
				os.MkdirAll(filepath.Dir(path), 0o700)
				os.WriteFile(path, []byte(tt.token), 0o600)
			}
			fs := r.checkProfile()
			if got := worst(fs); got != tt.want || !strings.Contains(titles(fs), "SSO login") {
				t.Errorf("status %s, want %s:\n%s", got, tt.want, titles(fs))
			}
			f, ok := r.checkSSO()
			if !ok || !strings.Contains(f.Found, tt.found) || !strings.Contains(f.Found, "start URL https://x.awsapps.com/start, region eu-west-1") || !strings.Contains(f.Fix, tt.fix) || strings.Contains(f.Fix, "aws sso login") {
				t.Errorf("found %q, fix %q; want %q and %q", f.Found, f.Fix, tt.found, tt.fix)
			}
		})
	}
}

// doctor checks the endpoint `awsenv use` calls: with a stale AWS_REGION
// in the shell, the profile's region, as resolve takes it.
func TestDoctorChecksWhatUseCalls(t *testing.T) {
	r := fixture{
		config: "[profile p]\nregion = eu-west-1\n",
		vars:   map[string]string{"AWS_REGION": "us-west-2", "AWS_ENDPOINT_URL_STS": ""},
		opts:   Options{Profile: "p"},
	}.run(t)
	got := r.target()
	want := r.cfg.STS(r.prof, "", r.getenv)
	if got != want || got.URL() != "https://sts.eu-west-1.amazonaws.com" {
		t.Errorf("doctor checks %s, use calls %s", got, want)
	}
}
