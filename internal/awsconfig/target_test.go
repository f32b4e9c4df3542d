package awsconfig

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSTSTarget(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	os.WriteFile(config, []byte("[profile eu]\nregion = eu-west-1\n[profile none]\n[profile svc]\nregion = eu-west-1\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n[profile ignore]\nendpoint_url = http://127.0.0.1:1\nignore_configured_endpoint_urls = true\n"), 0o600)
	cfg, err := LoadFiles(config, filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile, flag string
		env           map[string]string
		url, source   string
	}{
		// A stale AWS_REGION from another profile does not send this
		// profile's calls elsewhere: the profile's region is exported.
		{"eu", "", map[string]string{"AWS_REGION": "us-west-2"}, "https://sts.eu-west-1.amazonaws.com", config + ":2"},
		{"eu", "ap-south-1", map[string]string{"AWS_REGION": "us-west-2"}, "https://sts.ap-south-1.amazonaws.com", "--region"},
		{"none", "", map[string]string{"AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "ca-central-1"}, "https://sts.us-west-2.amazonaws.com", "AWS_REGION"},
		{"none", "", map[string]string{"AWS_DEFAULT_REGION": "cn-north-1"}, "https://sts.cn-north-1.amazonaws.com.cn", "AWS_DEFAULT_REGION"},
		{"none", "", nil, "https://sts.us-east-1.amazonaws.com", "the default"},
		{"svc", "", nil, "http://127.0.0.1:4566", config + ":5"},
		{"svc", "", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:2"}, "http://127.0.0.1:2", config + ":5"},
		{"svc", "", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:2", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:3"}, "http://127.0.0.1:3", config + ":5"},
		{"ignore", "", nil, "https://sts.us-east-1.amazonaws.com", "the default"},
		{"ignore", "", map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:3"}, "https://sts.us-east-1.amazonaws.com", "the default"},
	} {
		p, _ := cfg.Profile(tc.profile)
		got := cfg.STS(p, tc.flag, func(k string) string { return tc.env[k] })
		if got.URL() != tc.url || got.RegionSource != tc.source {
			t.Errorf("%s %q %v: %s, region from %s; want %s, region from %s", tc.profile, tc.flag, tc.env, got.URL(), got.RegionSource, tc.url, tc.source)
		}
	}
}
