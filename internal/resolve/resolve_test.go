package resolve

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

func resolveErr(t *testing.T, config, credentials, profile string) error {
	t.Helper()
	cfg := setup(t, config, credentials, &fakeSTS{})
	_, err := Resolve(context.Background(), cfg, creds.Request{Profile: profile})
	return err
}

// A source_profile loop fails naming the profiles, also when the profile
// that comes round again holds keys (the CLI's InfiniteLoopConfigError).
func TestSourceProfileLoop(t *testing.T) {
	for _, tc := range []struct{ name, config, want string }{
		{"back to keys", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\naws_access_key_id = AKIAA\naws_secret_access_key = s\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n", "a → b → a"},
		{"itself without keys", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = a\n", "a → a"},
		{"three", "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n[profile c]\nrole_arn = arn:aws:iam::1:role/C\nsource_profile = a\n", "a → b → c → a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := resolveErr(t, tc.config, "", "a")
			if err == nil || !strings.Contains(err.Error(), "source_profile loop "+tc.want) {
				t.Errorf("error %v, want the loop %s", err, tc.want)
			}
		})
	}
}

// A source profile that holds keys gives those keys, as the AWS CLI and
// the SDKs read it, even when it also names a role and a source: the role
// is not assumed and its source_profile is not followed (so a → b → a
// with keys in b is no loop). list and doctor say b's role_arn is unused.
func TestSourceWithKeysEndsTheChain(t *testing.T) {
	fake := &fakeSTS{}
	cfg := setup(t, "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\naws_access_key_id = AKIAB\naws_secret_access_key = s\n", "", fake)
	if _, err := Resolve(context.Background(), cfg, creds.Request{Profile: "a"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fake.actions(), ","); got != "AssumeRole" || fake.keys[0] != "AKIAB" || fake.calls[0].Get("RoleArn") != "arn:aws:iam::1:role/A" {
		t.Errorf("calls %s signed with %v, %v; want role A assumed with b's keys", got, fake.keys, fake.calls)
	}
	if info := cfg.Describe("a"); info.Err != nil || strings.Join(info.Chain, ",") != "a,b" || info.Hops[1].Ignored == "" {
		t.Errorf("Describe(a) = chain %v, err %v: list and use must read the same chain", info.Chain, info.Err)
	}
}

// A role profile that names itself as its source assumes the role with
// its own keys, as botocore and the SDKs do.
func TestSelfSourcedRole(t *testing.T) {
	fake := &fakeSTS{}
	cfg := setup(t, "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = a\n", "[a]\naws_access_key_id = AKIASELF\naws_secret_access_key = s\n", fake)
	c, err := Resolve(context.Background(), cfg, creds.Request{Profile: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.AccessKeyID, "ASIAFAKE") || len(fake.keys) != 1 || fake.keys[0] != "AKIASELF" {
		t.Errorf("got %s, AssumeRole signed with %v; want the role, signed with the profile's keys", c.AccessKeyID, fake.keys)
	}
}

// A profile with nothing to get credentials from is an error that says
// so, never the instance role of whatever machine this is.
func TestNoCredentials(t *testing.T) {
	for _, tc := range []struct{ config, profile, want string }{
		{"[profile empty]\nregion = eu-west-1\n", "empty", `profile "empty" (`},
		{"[profile r]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = empty\n[profile empty]\nregion = eu-west-1\n", "r", `it is the source_profile of "r" but has no credentials`},
		{"[profile r]\nrole_arn = arn:aws:iam::1:role/R\n", "r", "role_arn needs source_profile or credential_source"},
	} {
		t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1")
		err := resolveErr(t, tc.config, "", tc.profile)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.profile, err, tc.want)
		}
	}
}

// AssumeRole goes through the CA bundle the SDKs would trust: behind a
// TLS-inspecting proxy that is the only way STS is reached.
func TestCABundle(t *testing.T) {
	fake := &fakeSTS{}
	cfg := setup(t, "[profile r]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = u\n[profile bundled]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = u\nca_bundle = CA\n", "[u]\naws_access_key_id = AKIAUSER\naws_secret_access_key = s\n", nil)
	srv := httptest.NewTLSServer(fake)
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_STS", srv.URL)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	get := func(profile string) error {
		ageCache(t)
		_, err := Resolve(context.Background(), cfg, creds.Request{Profile: profile, Refresh: true})
		return err
	}
	if err := get("r"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("without the bundle: %v, want a certificate error", err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	if err := get("r"); err != nil {
		t.Errorf("with AWS_CA_BUNDLE: %v", err)
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	p, _ := cfg.Profile("bundled")
	v := p.Keys["ca_bundle"]
	v.Value = bundle
	p.Keys["ca_bundle"] = v
	if err := get("bundled"); err != nil {
		t.Errorf("with ca_bundle in the profile: %v", err)
	}
	t.Setenv("AWS_CA_BUNDLE", filepath.Join(t.TempDir(), "missing.pem"))
	if err := get("r"); err == nil || !strings.Contains(err.Error(), "AWS_CA_BUNDLE") {
		t.Errorf("with a missing bundle: %v, want an error naming AWS_CA_BUNDLE", err)
	}
}

// credential_source = EcsContainer takes the container endpoint the shell
// names, even though awsenv hides those variables from what it runs.
func TestCredentialSourceEcsContainer(t *testing.T) {
	fake := &fakeSTS{}
	cfg := setup(t, "[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = EcsContainer\n", "", fake)
	container := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") != "container-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "s", "Token": "t", "Expiration": %q}`, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	}))
	t.Cleanup(container.Close)
	t.Setenv(creds.ContainerFullURI, container.URL+"/creds")
	t.Setenv(creds.ContainerAuthToken, "container-token")
	c, err := Resolve(context.Background(), cfg, creds.Request{Profile: "r"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.AccessKeyID, "ASIAFAKE") || len(fake.keys) != 1 || fake.keys[0] != "ASIACONTAINER" {
		t.Errorf("got %s, AssumeRole signed with %v; want the role assumed with the container's keys", c.AccessKeyID, fake.keys)
	}
	if os.Getenv(creds.ContainerFullURI) == "" {
		t.Error("the container variable was not put back")
	}
}
