package cli

import (
	"encoding/json"
	"github.com/awsenv/awsenv/internal/testenv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/cache"
)

const secret = testenv.SampleSecret

func TestList(t *testing.T) {
	cfg := testenv.LoadShared(t, testenv.SampleConfig, testenv.SampleCredentials)
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
