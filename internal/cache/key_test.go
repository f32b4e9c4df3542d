package cache

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

type botocoreCase struct {
	Name string                     `json:"name"`
	Args map[string]json.RawMessage `json:"args"`
	Key  string                     `json:"key"`
}

func loadBotocoreCases(t *testing.T, data []byte) []botocoreCase {
	t.Helper()
	var cases []botocoreCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	return cases
}

func argsOf(t *testing.T, raw map[string]json.RawMessage) AssumeRoleArgs {
	t.Helper()
	str := func(name string) *string {
		v, ok := raw[name]
		if !ok {
			return nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return &s
	}
	a := AssumeRoleArgs{
		RoleArn:         *str("RoleArn"),
		RoleSessionName: str("RoleSessionName"),
		ExternalID:      str("ExternalId"),
		SerialNumber:    str("SerialNumber"),
		Policy:          str("Policy"),
	}
	if v, ok := raw["DurationSeconds"]; ok {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		a.DurationSeconds = &n
	}
	return a
}

// TestKeyMatchesBotocore checks Key against keys botocore computed
// (testdata/botocore_keys.py wrote testdata/botocore_keys.json).
func TestKeyMatchesBotocore(t *testing.T) {
	data, err := os.ReadFile("testdata/botocore_keys.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range loadBotocoreCases(t, data) {
		t.Run(c.Name, func(t *testing.T) {
			got, err := argsOf(t, c.Args).Key()
			if err != nil {
				t.Fatal(err)
			}
			if got != c.Key {
				t.Errorf("Key() = %s, botocore says %s", got, c.Key)
			}
		})
	}
}

// TestBotocoreKeysUpToDate reruns the generator with the botocore on this
// machine, so that a botocore that changed its keys cannot go unnoticed.
func TestBotocoreKeysUpToDate(t *testing.T) {
	// As testenv.Require, which this package cannot import (it is for
	// Unix only): skip, or fail under CI=true.
	missing := func(what string, err error) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v (CI=true: not skipping)", what, err)
		}
		t.Skipf("%s: %v", what, err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		missing("python3 not found", err)
	}
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		missing("botocore not importable", err)
	}
	out, err := exec.Command("python3", "testdata/botocore_keys.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/botocore_keys.json")
	if err != nil {
		t.Fatal(err)
	}
	live, golden := loadBotocoreCases(t, out), loadBotocoreCases(t, want)
	if len(live) != len(golden) {
		t.Fatalf("generator gives %d cases, golden file has %d: regenerate it", len(live), len(golden))
	}
	for i := range live {
		if live[i].Key != golden[i].Key {
			t.Errorf("%s: botocore now gives %s, golden file %s", live[i].Name, live[i].Key, golden[i].Key)
		}
	}
}

func TestPyFloatRepr(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", 1.5: "1.5", -3.25: "-3.25", 100: "100.0", 1e15: "1000000000000000.0",
		1e16: "1e+16", 1e20: "1e+20", 1.5e-7: "1.5e-07", 0.0001: "0.0001", 0.00012: "0.00012",
		123456.789: "123456.789", 1.2345e-5: "1.2345e-05", 2.5e100: "2.5e+100",
	} {
		if got := pyFloatRepr(f); got != want {
			t.Errorf("pyFloatRepr(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestPyInt(t *testing.T) {
	for s, want := range map[string]int64{"3600": 3600, " 7200 ": 7200, "+900": 900, "43_200": 43200} {
		if got, ok := pyInt(s); !ok || got != want {
			t.Errorf("pyInt(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "1h", "3600.0", "_1", "1__0", "--1"} {
		if _, ok := pyInt(s); ok {
			t.Errorf("pyInt(%q) ok, want invalid (botocore ignores it)", s)
		}
	}
}

func TestProfileArgs(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte(`
[profile base]
region = us-east-1
[profile plain]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
[profile long]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
duration_seconds = 7200
[profile all]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
role_session_name = alice
external_id = ext-123
mfa_serial = arn:aws:iam::111111111111:mfa/alice
duration_seconds = 43200
[profile unnamed]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
role_session_name =
[profile badduration]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
duration_seconds = 2h
[profile ec2]
role_arn = arn:aws:iam::123456789012:role/project1
credential_source = Ec2InstanceMetadata
[profile web]
role_arn = arn:aws:iam::123456789012:role/project1
source_profile = base
web_identity_token_file = /tmp/token
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := awsconfig.LoadFiles(config, filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	// The "role only" key of testdata/botocore_keys.json.
	const roleOnly = "e235b7946f46683490d348ba6357c812b0ee3ebd"
	allArgs := func(d int64) AssumeRoleArgs {
		s, e, m := "alice", "ext-123", "arn:aws:iam::111111111111:mfa/alice"
		return AssumeRoleArgs{RoleArn: "arn:aws:iam::123456789012:role/project1", RoleSessionName: &s, ExternalID: &e, SerialNumber: &m, DurationSeconds: &d}
	}
	dur := func(d int64) AssumeRoleArgs {
		return AssumeRoleArgs{RoleArn: "arn:aws:iam::123456789012:role/project1", DurationSeconds: &d}
	}
	mustKey := func(a AssumeRoleArgs) string {
		k, err := a.Key()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	tests := []struct {
		profile   string
		requested time.Duration
		want      string // "" means not cached
	}{
		{"plain", 0, roleOnly},
		// The hour STS gives by default: same file as the CLI's.
		{"plain", time.Hour, roleOnly},
		{"plain", 2 * time.Hour, mustKey(dur(7200))},
		{"long", 0, mustKey(dur(7200))},
		{"long", 2 * time.Hour, mustKey(dur(7200))},
		// duration_seconds is set: an explicit hour is not the profile's.
		{"long", time.Hour, mustKey(dur(3600))},
		{"all", 0, mustKey(allArgs(43200))},
		{"unnamed", 0, roleOnly},
		{"badduration", 0, roleOnly},
		{"base", 0, ""},
		{"ec2", 0, ""},
		{"web", 0, ""},
	}
	for _, tt := range tests {
		p, _ := cfg.Profile(tt.profile)
		a, ok := ProfileArgs(p, tt.requested)
		got := ""
		if ok {
			got = mustKey(a)
		}
		if got != tt.want {
			t.Errorf("profile %s, --duration %v: key %q, want %q", tt.profile, tt.requested, got, tt.want)
		}
	}
	// The "all" profile hashes like botocore's "all" case.
	data, _ := os.ReadFile("testdata/botocore_keys.json")
	for _, c := range loadBotocoreCases(t, data) {
		if c.Name == "all" && c.Key != mustKey(allArgs(43200)) {
			t.Errorf("profile all: key %s, botocore %s", mustKey(allArgs(43200)), c.Key)
		}
	}
}

func TestMFASessionKey(t *testing.T) {
	a := MFASessionKey("base", "AKIAEXAMPLE", "arn:aws:iam::1:mfa/alice")
	if len(a) != 40 {
		t.Fatalf("key %q is not SHA-1 hex", a)
	}
	for _, other := range []string{
		MFASessionKey("other", "AKIAEXAMPLE", "arn:aws:iam::1:mfa/alice"),
		MFASessionKey("base", "AKIAOTHER", "arn:aws:iam::1:mfa/alice"),
		MFASessionKey("base", "AKIAEXAMPLE", "arn:aws:iam::1:mfa/bob"),
	} {
		if other == a {
			t.Error("different source, key or device gave the same MFA session key")
		}
	}
}

// Reference keys from botocore 1.43's SSOCredentialFetcher._create_cache_key.
func TestSSOKey(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{"[profile p]\nsso_session = corp-é\nsso_account_id = 123456789012\nsso_role_name = Admin\n", "1ec6ca26e40e02fc81175cb733d451db96bc0862"},
		{"[profile p]\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Admin\n", "e03d8025af26e6a3f6c8402f15b918fb974ccc47"},
	} {
		dir := t.TempDir()
		cfgPath := filepath.Join(dir, "config")
		if err := os.WriteFile(cfgPath, []byte(tc.config), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := awsconfig.LoadFiles(cfgPath, filepath.Join(dir, "none"))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := cfg.Profile("p")
		if got := SSOKey(p); got != tc.want {
			t.Errorf("SSOKey = %s, want %s", got, tc.want)
		}
	}
}
