package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
)

// cached answers from the AWS CLI's cache, under the key the SDK side
// writes, with the region of the request or the profile.
func TestCached(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	config := filepath.Join(home, ".aws", "config")
	os.MkdirAll(filepath.Dir(config), 0o700)
	os.WriteFile(config, []byte("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = u\nregion = eu-west-1\n[profile u]\n"), 0o600)
	cfg, err := awsconfig.LoadFiles(config, filepath.Join(home, ".aws", "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Profile("r")
	store, _ := cache.CLIStore()
	args, _ := cache.ProfileArgs(p, 0)
	key, _ := args.Key()
	exp := time.Now().Add(time.Hour).Truncate(time.Second).UTC()
	entry := cache.Entry{Credentials: cache.Credentials{AccessKeyID: "ASIACACHED", SecretAccessKey: "s", SessionToken: "t", Expiration: exp}}
	if err := store.Put(key, entry); err != nil {
		t.Fatal(err)
	}

	c, ok := cached(p, creds.Request{Profile: "r"})
	if !ok || c.AccessKeyID != "ASIACACHED" || c.SecretAccessKey != "s" || c.SessionToken != "t" || !c.Expires.Equal(exp) || c.Region != "eu-west-1" || c.Profile != "r" {
		t.Errorf("cached = %+v, %v", c, ok)
	}
	if c, _ := cached(p, creds.Request{Profile: "r", Region: "us-east-2"}); c.Region != "us-east-2" {
		t.Errorf("--region: region %q", c.Region)
	}
	if _, ok := cached(p, creds.Request{Profile: "r", Refresh: true}); ok {
		t.Error("--refresh answered from the cache")
	}
	if _, ok := cached(p, creds.Request{Profile: "r", Duration: 2 * time.Hour}); ok {
		t.Error("--duration 2h answered with the one-hour entry")
	}
	u, _ := cfg.Profile("u")
	if _, ok := cached(u, creds.Request{Profile: "u"}); ok {
		t.Error("a profile without a role answered from the cache")
	}
	entry.Credentials.Expiration = time.Now().Add(10 * time.Minute)
	store.Put(key, entry)
	if _, ok := cached(p, creds.Request{Profile: "r"}); ok {
		t.Error("an entry inside the refresh margin was used")
	}
}
