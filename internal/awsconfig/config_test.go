package awsconfig

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, config, credentials string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	return LoadFiles(write(t, dir, "config", config), write(t, dir, "credentials", credentials))
}

func TestSectionRules(t *testing.T) {
	c, err := load(t, `
[default]
region = us-east-1
[profile project1]
role_arn = arn:aws:iam::123456789012:role/Prod-Role
source_profile = user1
region = eu-west-1
[ignored]
region = nowhere
[profile  spaced name ]
region = x
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
[services local]
sts =
  endpoint_url = http://127.0.0.1:5000
`, `
[user1]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
[profile literal]
aws_access_key_id = AKIA2
[project1]
region = ap-south-1
`)
	if err != nil {
		t.Fatal(err)
	}
	// [profile literal] in the credentials file and a name with spaces are
	// ignored, as the SDKs' shared rules say. (This test expected botocore's
	// reading before, a profile named "profile literal", which the Go SDK
	// does not share; see README.md.)
	want := []string{"default", "project1", "user1"}
	if got := c.Profiles(); !reflect.DeepEqual(got, want) {
		t.Errorf("Profiles() = %q", got)
	}
	p, _ := c.Profile("project1")
	if p.Get("region") != "ap-south-1" {
		t.Errorf("credentials file should win: region = %q", p.Get("region"))
	}
	if v := p.Keys["role_arn"]; v.Line != 5 || !strings.HasSuffix(v.File, "config") {
		t.Errorf("role_arn location = %s", v.Where())
	}
	if _, ok := c.Profile("ignored"); ok {
		t.Error("a bare [ignored] section in the config file became a profile")
	}
	if s, ok := c.SSOSession("corp"); !ok || s.Keys["sso_start_url"].Value == "" {
		t.Error("sso-session corp not read")
	}
	svc, _ := c.Services("local")
	if got := svc.Keys["sts"].Sub["endpoint_url"].Value; got != "http://127.0.0.1:5000" {
		t.Errorf("services nested value = %q", got)
	}
}

func TestCRLF(t *testing.T) {
	c, err := load(t, "[profile a]\r\nregion = eu-west-1\r\n", "")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.Profile("a")
	if !ok || p.Get("region") != "eu-west-1" {
		t.Fatalf("profile a = %+v, %v", p, ok)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		line         int
	}{
		{"unterminated section", "[profile a\nregion = x\n", 1},
		{"value before section", "region = x\n", 1},
		{"no equals sign", "[default]\nregion = x\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.config, "")
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != tc.line {
				t.Fatalf("got %v, want a SyntaxError at line %d", err, tc.line)
			}
			if strings.Contains(err.Error(), "wJalr") {
				t.Fatalf("the error shows the line's content: %v", err)
			}
		})
	}
}

func TestMissingFilesAreEmpty(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadFiles(filepath.Join(dir, "nope"), filepath.Join(dir, "nope2"))
	if err != nil || len(c.Profiles()) != 0 {
		t.Fatalf("got %v, %v", c.Profiles(), err)
	}
}

func TestLookupSuggests(t *testing.T) {
	c, _ := load(t, "[profile project1]\n[profile project2]\n[profile prod-admin]\n[profile sandbox]\n", "")
	_, err := c.Lookup("projetc1")
	var nf *NotFoundError
	if !errors.As(err, &nf) || !reflect.DeepEqual(nf.Suggestions, []string{"project1", "project2"}) {
		t.Fatalf("got %v", err)
	}
	if !errors.As(err, &nf) || nf.Ignored != "" {
		t.Fatalf("got %v", err)
	}
	_, err = c.Lookup("admin")
	if !errors.As(err, &nf) || !reflect.DeepEqual(nf.Suggestions, []string{"prod-admin"}) {
		t.Fatalf("got %v", err)
	}
}

func TestSTSEndpoint(t *testing.T) {
	c, _ := load(t, `
[profile svc]
services = local
endpoint_url = http://profile
[profile plain]
endpoint_url = http://profile
[services local]
sts =
  endpoint_url = http://services
`, "")
	svc, _ := c.Profile("svc")
	plain, _ := c.Profile("plain")
	for _, tc := range []struct {
		env  map[string]string
		p    *Profile
		want string
	}{
		{nil, svc, "http://services"},
		{nil, plain, "http://profile"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://global"}, svc, "http://global"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://global", "AWS_ENDPOINT_URL_STS": "http://sts"}, svc, "http://sts"},
		{map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_STS": "http://sts"}, svc, ""},
	} {
		for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
			t.Setenv(k, tc.env[k])
		}
		if got := c.STSEndpoint(tc.p).URL; got != tc.want {
			t.Errorf("env %v profile %s: got %q, want %q", tc.env, tc.p.Name, got, tc.want)
		}
	}
}

func TestLookupSaysWhyASectionIsIgnored(t *testing.T) {
	c, _ := load(t, "[profile my app]\nregion = x\n", "[profile base]\n")
	for name, want := range map[string]string{
		"my app": "[profile my app] at " + c.ConfigFile + ":1 is ignored: the profile name has a space",
		"base":   "[profile base] at " + c.CredentialsFile + ":1 is ignored: [profile NAME] in the credentials file",
	} {
		_, err := c.Lookup(name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Lookup(%q) = %v, want %q", name, err, want)
		}
	}
}

func TestSSOSessions(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	os.WriteFile(cfg, []byte("[sso-session b]\nsso_region = eu-west-1\n[profile p]\n[sso-session a]\n[sso-session b]\nsso_start_url = https://b\n"), 0o600)
	c, err := LoadFiles(cfg, filepath.Join(dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SSOSessions(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("SSOSessions() = %q", got)
	}
}
