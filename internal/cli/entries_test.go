package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
)

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

const config = `[default]
region = eu-west-1
[profile app]
role_arn = arn:aws:iam::123456789012:role/app
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/me
region = eu-central-1
[profile chained]
role_arn = arn:aws:iam::123456789012:role/chained
source_profile = app
[profile ec2]
role_arn = arn:aws:iam::123456789012:role/ec2
credential_source = Ec2InstanceMetadata
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[profile proc]
credential_process = /bin/get-creds --secret hunter2
[profile web]
role_arn = arn:aws:iam::123456789012:role/web
web_identity_token_file = /tmp/token
[profile loop]
role_arn = arn:aws:iam::123456789012:role/loop
source_profile = loop
[profile dangling]
role_arn = arn:aws:iam::123456789012:role/d
source_profile = nowhere
[ignored]
region = us-east-1
`

const credentials = `[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = ` + secret + `
[profile wrong]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
`

func load(t *testing.T, config, credentials string) *awsconfig.Config {
	t.Helper()
	dir := t.TempDir()
	cf, crf := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	os.WriteFile(cf, []byte(config), 0o600)
	os.WriteFile(crf, []byte(credentials), 0o600)
	cfg, err := awsconfig.LoadFiles(cf, crf)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestList(t *testing.T) {
	cfg := load(t, config, credentials)
	home := t.TempDir()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	env := map[string]string{"HOME": home, "AWSENV_PROFILE": "app", "AWS_ACCESS_KEY_ID": "ASIAX", "AWS_CREDENTIAL_EXPIRATION": "2026-11-25T12:30:00Z"}
	app, _ := cfg.Profile("app")
	cachedir := filepath.Join(home, ".aws", "cli", "cache")
	os.MkdirAll(cachedir, 0o700)
	args, _ := cache.ProfileArgs(app, 0)
	key, _ := args.Key()
	os.WriteFile(filepath.Join(cachedir, key+".json"), []byte(`{"Credentials": {"Expiration": "2026-11-25T12:45:00+00:00"}}`), 0o600)
	mfa := mfaSessionFile(cfg, filepath.Join(home, ".cache", "awsenv"), app)
	os.MkdirAll(filepath.Dir(mfa), 0o700)
	os.WriteFile(mfa, []byte(`{"Credentials": {"Expiration": "2026-11-25T20:00:00Z"}}`), 0o600)
	sso, _ := cfg.Profile("sso")
	os.MkdirAll(filepath.Join(home, ".aws", "sso", "cache"), 0o700)
	os.WriteFile(cache.SSOTokenFile(filepath.Join(home, ".aws", "sso", "cache"), sso), []byte(`{"expiresAt": "2026-11-25T11:00:00Z"}`), 0o600)

	entries := listEntries(cfg, func(k string) string { return env[k] }, now)
	byName := map[string]listEntry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	a := byName["app"]
	if !a.Current || !a.MFA || len(a.Cached) != 3 || a.Cached[0].Cache != "env" || a.Cached[1].Cache != cache.NameCLI || a.Cached[1].SecondsLeft != 45*60 || a.Cached[2].Cache != "awsenv-mfa" {
		t.Errorf("app = %+v", a)
	}
	s := byName["sso"]
	if len(s.Cached) != 1 || !s.Cached[0].Expired {
		t.Errorf("sso = %+v", s)
	}
	if byName["loop"].ChainError == "" {
		t.Error("loop has no chain error")
	}
	b, _ := json.Marshal(entries)
	if strings.Contains(string(b), secret) || strings.Contains(string(b), "hunter2") {
		t.Error("list shows a secret")
	}
}
