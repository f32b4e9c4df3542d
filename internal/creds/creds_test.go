package creds

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/shell/shelltest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	temporary = Credentials{
		AccessKeyID:     "ASIAEXAMPLEEXAMPLE01",
		SecretAccessKey: `it's "q" \b $x ` + "`id`" + " ünï 🔑 ‘’‚‛\nline2",
		SessionToken:    "FQoGZXIvYXdzEBYaDK5Y36dAY0CoGzYf0FIY+/=",
		Expires:         time.Date(2026, 11, 25, 20, 40, 15, 0, time.UTC),
		Region:          "eu-west-1",
		Profile:         "project1",
	}
	longTerm = Credentials{AccessKeyID: "AKIAEXAMPLEEXAMPLE01", SecretAccessKey: "s", Profile: "user1"}
)

// The golden files are what users' shells evaluate; the Apply check reads
// each one back strictly, so a golden file cannot hold a quoting mistake.
// PowerShell cannot run here: this is its test.
func TestGoldenScripts(t *testing.T) {
	apply := map[string]func(string, map[string]string) error{
		"bash": shelltest.ApplyPOSIX, "fish": shelltest.ApplyFish, "pwsh": shelltest.ApplyPwsh,
	}
	useTemporary, err := temporary.Changes(nil)
	if err != nil {
		t.Fatal(err)
	}
	useLongTerm, err := longTerm.Changes(nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]shell.Change{
		"use-temporary": useTemporary,
		"use-longterm":  useLongTerm,
		"clear":         ClearChanges(false),
		"clear-all":     ClearChanges(true),
	}
	for name, changes := range cases {
		for shName, applyFn := range apply {
			sh, _ := shell.Lookup(shName)
			got, err := shell.Render(sh, changes)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+"."+shName)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/creds -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (rerun with -update if intended):\n%s", golden, got)
			}
			env := map[string]string{"AWS_SECURITY_TOKEN": "stale", "AWS_PROFILE": "x", "AWS_DEFAULT_PROFILE": "x", "AWS_VAULT": "v", "AWS_SESSION_TOKEN": "stale"}
			if err := applyFn(got, env); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			checkApplied(t, golden, name, env)
		}
	}
}

func checkApplied(t *testing.T, golden, name string, env map[string]string) {
	t.Helper()
	switch name {
	case "use-temporary":
		if env[SecretAccessKey] != temporary.SecretAccessKey || env[CredentialExpiration] != "2026-11-25T20:40:15Z" || env[AwsenvProfile] != "project1" {
			t.Errorf("%s applied: %q", golden, env)
		}
	case "use-longterm":
		if _, ok := env[SessionToken]; ok {
			t.Errorf("%s keeps a session token", golden)
		}
	}
	if strings.HasPrefix(name, "use-") {
		// With a profile named, the JavaScript SDK ignores the keys.
		for _, k := range ProfileVars {
			if v, ok := env[k]; ok {
				t.Errorf("%s leaves %s=%q beside the keys", golden, k, v)
			}
		}
	}
	switch name {
	case "clear", "clear-all":
		if _, ok := env[SessionToken]; ok {
			t.Errorf("%s keeps a session token", golden)
		}
		if _, ok := env["AWS_VAULT"]; ok == (name == "clear-all") {
			t.Errorf("%s: AWS_VAULT set = %v", golden, ok)
		}
	}
	if _, ok := env[SecurityToken]; ok {
		t.Errorf("%s keeps AWS_SECURITY_TOKEN", golden)
	}
}

func TestFormats(t *testing.T) {
	out, err := temporary.Format("process")
	var p map[string]any
	if err != nil || json.Unmarshal([]byte(out), &p) != nil || p["Version"] != 1.0 || p["Expiration"] != "2026-11-25T20:40:15Z" || p["SessionToken"] == nil {
		t.Errorf("process: %s %v", out, err)
	}
	out, _ = longTerm.Format("process")
	if strings.Contains(out, "Expiration") || strings.Contains(out, "SessionToken") {
		t.Errorf("process format of long-term keys: %s", out)
	}
	if _, err := temporary.Format("env"); err == nil {
		t.Error("env format accepted a line break")
	}
	if _, err := temporary.Format("yaml"); err == nil {
		t.Error("unknown format accepted")
	}
}

// sts is what STS hands out: every byte of it is safe unquoted.
var sts = Credentials{
	AccessKeyID:     "ASIAEXAMPLEEXAMPLE01",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+=",
	SessionToken:    "FQoGZXIvYXdzEBYaDK5Y36dAY0CoGzYf0FIY+/=",
	Expires:         time.Date(2026, 11, 25, 20, 40, 15, 0, time.UTC),
	Region:          "eu-west-1",
	Profile:         "team.prod-admin@acme_1,x:y%z",
}

// No format that carries variables for another program names a profile:
// in a container without ~/.aws every SDK fails on it, and beside the
// keys the JavaScript SDK takes it over them.
func TestFormatsCarryNoProfile(t *testing.T) {
	for _, format := range []string{"env", "dotenv", "json"} {
		out, err := sts.Format(format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, k := range ProfileVars {
			if strings.Contains(out, `"`+k+`"`) {
				t.Errorf("%s format names %s:\n%s", format, k, out)
			}
			if strings.Contains("\n"+out, "\n"+k+"=") {
				t.Errorf("%s format sets %s:\n%s", format, k, out)
			}
		}
		if !strings.Contains(out, AwsenvProfile) {
			t.Errorf("%s format lacks %s:\n%s", format, AwsenvProfile, out)
		}
	}
	env, err := sts.Env()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range env {
		if kv[0] == Profile || kv[0] == DefaultProfile {
			t.Errorf("Env (what exec sets) holds %s", kv[0])
		}
	}
}

// The dotenv format is unquoted NAME=value lines of a safe alphabet, and
// refuses anything else, naming the variable and never the value.
func TestDotenv(t *testing.T) {
	out, err := sts.Format("dotenv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\nAWS_SECRET_ACCESS_KEY="+sts.SecretAccessKey+"\n") || strings.ContainsAny(out, `"'`) {
		t.Errorf("dotenv:\n%s", out)
	}
	for _, bad := range []string{"$HOME", "`id`", `\$(id)`, "a b", "a#b", `"q"`, "it's", "a\nb", "a\rb", "~", "ünï", "a\tb", "!x", "a;b", "a\\b", "{x}", "*"} {
		c := sts
		c.SecretAccessKey = "secret" + bad
		_, err := c.Format("dotenv")
		if err == nil {
			t.Errorf("dotenv accepted %q", bad)
			continue
		}
		if !strings.Contains(err.Error(), SecretAccessKey) || strings.Contains(err.Error(), "secret"+bad) {
			t.Errorf("dotenv error for %q: %v", bad, err)
		}
	}
}

// JSON strings hold Unicode: a value that is not UTF-8 is refused, not
// changed to U+FFFD on the way out.
func TestJSONRefusesInvalidUTF8(t *testing.T) {
	for _, format := range []string{"json", "process"} {
		c := sts
		c.SecretAccessKey = "abc\xff\xfedef"
		_, err := c.Format(format)
		if err == nil || !strings.Contains(err.Error(), SecretAccessKey) || !strings.Contains(err.Error(), "UTF-8") || strings.Contains(err.Error(), "abc") {
			t.Errorf("%s: %v", format, err)
		}
	}
	c := sts
	c.SecretAccessKey = "ünï 🔑"
	out, err := c.Format("json")
	var m map[string]string
	if err != nil || json.Unmarshal([]byte(out), &m) != nil || m[SecretAccessKey] != c.SecretAccessKey {
		t.Errorf("json of valid UTF-8: %s %v", out, err)
	}
}

// A variable longer than MAX_ARG_STRLEN would make every command of the
// shell fail with E2BIG: use, exec and the formats refuse it.
func TestEnvTooLong(t *testing.T) {
	fits := strings.Repeat("A", MaxEnvString-len(SessionToken+"=")-1)
	c := sts
	c.SessionToken = fits
	if _, err := c.Changes(nil); err != nil {
		t.Errorf("a token of %d bytes: %v", len(fits), err)
	}
	c.SessionToken = fits + "A"
	if _, err := c.Changes(nil); err == nil || !strings.Contains(err.Error(), SessionToken) || !strings.Contains(err.Error(), "Argument list too long") || strings.Contains(err.Error(), "AAAA") {
		t.Errorf("Changes of a token one byte too long: %v", err)
	}
	if _, err := c.Env(); err == nil {
		t.Error("Env accepted a token one byte too long")
	}
	for _, format := range []string{"env", "dotenv", "json"} {
		if _, err := c.Format(format); err == nil {
			t.Errorf("%s accepted a token one byte too long", format)
		}
	}
	if _, err := c.Format("process"); err != nil {
		t.Errorf("process (no environment involved): %v", err)
	}
}

// `use` keeps a profile variable the user set aside; `clear` puts it back
// and removes one an older awsenv set.
func TestProfileVariablesKeptAndRestored(t *testing.T) {
	bash, _ := shell.Lookup("bash")
	apply := func(env map[string]string, changes []shell.Change) {
		t.Helper()
		script, err := shell.Render(bash, changes)
		if err != nil {
			t.Fatal(err)
		}
		if err := shelltest.ApplyPOSIX(script, env); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(env map[string]string) func(string) string {
		return func(k string) string { return env[k] }
	}
	use := func(env map[string]string, c Credentials) {
		t.Helper()
		ch, err := c.Changes(getenv(env))
		if err != nil {
			t.Fatal(err)
		}
		apply(env, ch)
	}
	clear := func(env map[string]string) {
		apply(env, append(RestoreChanges(getenv(env)), ClearChanges(false)...))
	}
	a, b := sts, sts
	a.Profile, b.Profile = "a", "b"

	for _, tc := range []struct {
		name   string
		before map[string]string
		steps  func(env map[string]string)
		want   map[string]string // "" : unset
	}{
		{"user's profile comes back", map[string]string{Profile: "dev", DefaultProfile: "old"},
			func(env map[string]string) { use(env, a); use(env, b); clear(env) },
			map[string]string{Profile: "dev", DefaultProfile: "old", AccessKeyID: ""}},
		{"nothing to restore", map[string]string{},
			func(env map[string]string) { use(env, a); clear(env) },
			map[string]string{Profile: "", DefaultProfile: "", AwsenvProfile: ""}},
		{"an older awsenv's AWS_PROFILE goes", map[string]string{Profile: "a", AwsenvProfile: "a", AccessKeyID: "ASIA"},
			func(env map[string]string) { clear(env) },
			map[string]string{Profile: "", AccessKeyID: ""}},
		{"the user's later choice stays", map[string]string{Profile: "dev"},
			func(env map[string]string) { use(env, a); env[Profile] = "later"; clear(env) },
			map[string]string{Profile: "later"}},
		{"use over an older awsenv's", map[string]string{Profile: "a", AwsenvProfile: "a"},
			func(env map[string]string) { use(env, b); clear(env) },
			map[string]string{Profile: ""}},
	} {
		env := tc.before
		tc.steps(env)
		for k, want := range tc.want {
			if got, ok := env[k]; got != want || ok != (want != "") {
				t.Errorf("%s: %s = %q (set %v), want %q", tc.name, k, got, ok, want)
			}
		}
		for k := range env {
			if strings.HasPrefix(k, SavedPrefix) {
				t.Errorf("%s: %s left behind", tc.name, k)
			}
		}
	}
	// After use, between the steps: no profile beside the keys.
	env := map[string]string{Profile: "dev"}
	use(env, a)
	if _, ok := env[Profile]; ok || env[SavedPrefix+Profile] != "dev" {
		t.Errorf("after use: %q", env)
	}
}
