package cache

import (
	"bytes"
	"github.com/awsenv/awsenv/internal/session"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func testEntry(exp time.Time) Entry {
	return Entry{
		Credentials: Credentials{
			AccessKeyID:     "ASIAEXAMPLEEXAMPLE",
			SecretAccessKey: "secret/with+chars",
			SessionToken:    "token==",
			Expiration:      exp,
			AccountID:       "123456789012",
		},
		AssumedRoleUser: &RoleUser{AssumedRoleID: "AROAEXAMPLE:s", Arn: "arn:aws:sts::123456789012:assumed-role/r/s"},
	}
}

// The cache's timestamps, as the AWS CLI and botocore write them, are read
// by the one expiry parser: STS's own string (CLI v1 keeps it),
// datetime.isoformat() with T or a space, strftime's "UTC" form.
func TestParseTime(t *testing.T) {
	want := time.Date(2026, 11, 25, 20, 44, 2, 0, time.UTC)
	for _, s := range []string{
		"2026-11-25T20:44:02Z",             // STS, as CLI v1 stores it
		"2026-11-25T20:44:02.000Z",         // STS with milliseconds
		"2026-11-25T20:44:02UTC",           // botocore strftime('%Y-%m-%dT%H:%M:%S%Z')
		"2026-11-25T20:44:02+00:00",        // datetime.isoformat()
		"2026-11-25 20:44:02+00:00",        // str(datetime)
		"2026-11-25T21:44:02+01:00",        // another zone
		"2026-11-25T20:44:02+0000",         // %z
		"2026-11-25T20:44:02.000000+00:00", // isoformat with microseconds
		"2026-11-25t20:44:02z",
	} {
		got, ok := session.ParseExpiry(s)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	got, ok := session.ParseExpiry("2026-11-25T20:44:02.032108Z")
	if !ok || !got.Equal(want.Add(32108*time.Microsecond)) {
		t.Errorf("fractional seconds: %v, %v", got, ok)
	}
	for _, s := range []string{"", "tomorrow", "1795635842", "2026-13-01T00:00:00Z"} {
		if _, ok := session.ParseExpiry(s); ok {
			t.Errorf("ParseExpiry(%q) succeeded, want a refusal", s)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "cache")}
	exp := time.Now().Add(time.Hour).Truncate(time.Second).UTC()
	if err := s.Put("k", testEntry(exp)); err != nil {
		t.Fatal(err)
	}
	got, ok := s.Get("k")
	if !ok {
		t.Fatal("Get after Put: not found")
	}
	want := testEntry(exp)
	if got.Credentials != want.Credentials || *got.AssumedRoleUser != *want.AssumedRoleUser {
		t.Errorf("Get = %+v, want %+v", got, want)
	}
	if got.Written.IsZero() {
		t.Error("Written not set")
	}
	raw, _ := os.ReadFile(s.Path("k"))
	if !bytes.Contains(raw, []byte(`"Expiration":"`+exp.Format("2006-01-02T15:04:05Z")+`"`)) {
		t.Errorf("file does not hold the STS timestamp form: %s", raw)
	}
}

func TestValid(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		left time.Duration
		want bool
	}{{time.Hour, true}, {16 * time.Minute, true}, {15 * time.Minute, false}, {time.Minute, false}, {-time.Hour, false}} {
		if got := testEntry(now.Add(tt.left)).Valid(now); got != tt.want {
			t.Errorf("%v left: Valid = %v, want %v", tt.left, got, tt.want)
		}
	}
}

// TestCorruptEntries: whatever is in the file, Get never trusts less than a
// complete response, and Put replaces it.
func TestCorruptEntries(t *testing.T) {
	good, err := testEntry(time.Now().Add(time.Hour)).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"empty":             "",
		"truncated":         string(good[:len(good)/2]),
		"null":              "null",
		"array":             "[1,2]",
		"empty object":      "{}",
		"no secret":         `{"Credentials":{"AccessKeyId":"A","SessionToken":"T","Expiration":"2099-01-01T00:00:00Z"}}`,
		"no token":          `{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2099-01-01T00:00:00Z"}}`,
		"no expiration":     `{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T"}}`,
		"numeric expiry":    `{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":4102444800}}`,
		"garbage expiry":    `{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"soon"}}`,
		"credentials typed": `{"Credentials":"yes"}`,
		"binary":            "\x00\x01\x02\xff",
		"wrong types":       `{"Credentials":{"AccessKeyId":1,"SecretAccessKey":["S"],"SessionToken":{},"Expiration":true}}`,
		"zero expiry":       `{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"0001-01-01T00:00:00Z"}}`,
		"huge":              string(good[:len(good)-1]) + strings.Repeat(" ", maxFileSize) + "}",
		"sso token":         `{"startUrl":"https://x.awsapps.com/start","region":"us-east-1","accessToken":"t","expiresAt":"2099-01-01T00:00:00Z"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := Store{Dir: t.TempDir()}
			if err := os.WriteFile(s.Path("k"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if e, ok := s.Get("k"); ok {
				t.Fatalf("Get trusted %q: %+v", content, e)
			}
			if err := s.Put("k", testEntry(time.Now().Add(time.Hour))); err != nil {
				t.Fatal(err)
			}
			if _, ok := s.Get("k"); !ok {
				t.Fatal("Put did not replace the corrupt entry")
			}
		})
	}
}

func TestUntrustedFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	good, _ := testEntry(time.Now().Add(time.Hour)).Marshal()
	t.Run("writable by others", func(t *testing.T) {
		s := Store{Dir: t.TempDir()}
		os.WriteFile(s.Path("k"), good, 0o600)
		os.Chmod(s.Path("k"), 0o666)
		if _, ok := s.Get("k"); ok {
			t.Error("trusted a world-writable file")
		}
	})
	t.Run("symlink", func(t *testing.T) {
		s := Store{Dir: t.TempDir()}
		target := filepath.Join(t.TempDir(), "elsewhere.json")
		os.WriteFile(target, good, 0o600)
		os.Symlink(target, s.Path("k"))
		if _, ok := s.Get("k"); ok {
			t.Error("followed a symlink")
		}
	})
	t.Run("directory", func(t *testing.T) {
		s := Store{Dir: t.TempDir()}
		os.Mkdir(s.Path("k"), 0o700)
		if _, ok := s.Get("k"); ok {
			t.Error("read a directory")
		}
	})
}

func TestAtomicWrite(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	a := testEntry(time.Now().Add(time.Hour))
	b := testEntry(time.Now().Add(2 * time.Hour))
	b.Credentials.SessionToken = strings.Repeat("x", 64<<10) // many write calls' worth
	if err := s.Put("k", a); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := a
			if i%2 == 1 {
				e = b
			}
			if err := s.Put("k", e); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	deadline := time.Now().Add(300 * time.Millisecond)
	reads := 0
	for time.Now().Before(deadline) {
		if _, ok := s.Get("k"); !ok {
			t.Fatal("a reader saw a missing or partial file")
		}
		reads++
	}
	close(stop)
	wg.Wait()
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		if e.Name() != "k.json" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	t.Logf("%d reads during rewrites", reads)
}

func TestStorePaths(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	t.Setenv("USERPROFILE", `C:\Users\u`)
	t.Setenv("XDG_CACHE_HOME", "")
	home, _ := os.UserHomeDir()
	cli, err := CLIStore()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, ".aws", "cli", "cache"); cli.Dir != want {
		t.Errorf("CLIStore = %s, want %s", cli.Dir, want)
	}
	if d, _ := Dir(); d != filepath.Join(home, ".cache", "awsenv") {
		t.Errorf("Dir without XDG_CACHE_HOME = %s", d)
	}
	abs := filepath.Join(t.TempDir(), "xdg")
	t.Setenv("XDG_CACHE_HOME", abs)
	if d, _ := Dir(); d != filepath.Join(abs, "awsenv") {
		t.Errorf("Dir = %s, want under XDG_CACHE_HOME", d)
	}
	t.Setenv("XDG_CACHE_HOME", "relative/path")
	if d, _ := Dir(); d != filepath.Join(home, ".cache", "awsenv") {
		t.Errorf("Dir with a relative XDG_CACHE_HOME = %s, want it ignored (XDG spec)", d)
	}
	m, _ := MFAStore()
	if m.Path("abc") != filepath.Join(home, ".cache", "awsenv", "mfa", "abc.json") {
		t.Errorf("MFA path = %s", m.Path("abc"))
	}
}

// The AWS CLI v2 caches SSO role credentials with a ProviderType and no
// AssumedRoleUser (botocore's SSOCredentialFetcher); awsenv reads that
// file and writes the same.
func TestSSOEntryRoundTrip(t *testing.T) {
	cliV2 := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLEEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-11-25T20:44:02Z", "AccountId": "111111111111"}}`
	e, err := Unmarshal([]byte(cliV2))
	if err != nil {
		t.Fatal(err)
	}
	if e.ProviderType != "sso" || e.AssumedRoleUser != nil || e.Credentials.AccountID != "111111111111" {
		t.Errorf("read %+v", e)
	}
	out, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"ProviderType":"sso"`)) || bytes.Contains(out, []byte("AssumedRoleUser")) {
		t.Errorf("wrote %s", out)
	}
	// An STS response, as CLI v1 writes it, gains no ProviderType.
	out, _ = testEntry(time.Now()).Marshal()
	if bytes.Contains(out, []byte("ProviderType")) {
		t.Errorf("an AssumeRole entry was written with a ProviderType: %s", out)
	}
}
