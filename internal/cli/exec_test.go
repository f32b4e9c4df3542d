package cli

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

func TestCleanEnviron(t *testing.T) {
	in := []string{
		"PATH=/bin", "HOME=/h", "AWS_ENDPOINT_URL_STS=http://x", "AWS_CONFIG_FILE=/c",
		"AWS_ACCESS_KEY_ID=old", "AWS_SECRET_ACCESS_KEY=old", "AWS_SESSION_TOKEN=old",
		"AWS_SECURITY_TOKEN=old", "AWS_CREDENTIAL_EXPIRATION=2020", "AWS_PROFILE=other",
		"AWS_DEFAULT_PROFILE=other", "AWSENV_PROFILE=other", "AWSENV_PROMPT=x",
		"AWS_VAULT=v", "AWS_ROLE_ARN=r", "AWS_WEB_IDENTITY_TOKEN_FILE=f",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.2/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN=t",
		"AWS_REGION=us-east-2", "AWS_DEFAULT_REGION=us-east-2", "=C:=C:\\",
	}
	got := cleanEnviron(slices.Clone(in))
	want := []string{
		"PATH=/bin", "HOME=/h", "AWS_ENDPOINT_URL_STS=http://x", "AWS_CONFIG_FILE=/c",
		"AWS_REGION=us-east-2", "AWS_DEFAULT_REGION=us-east-2", "=C:=C:\\",
	}
	if !slices.Equal(got, want) {
		t.Errorf("cleanEnviron =\n%q\nwant\n%q", got, want)
	}
	got = setEnv(got, "AWS_REGION", "eu-west-1")
	if n := strings.Count(strings.Join(got, "\n"), "AWS_REGION="); n != 1 || got[len(got)-1] != "AWS_REGION=eu-west-1" {
		t.Errorf("setEnv: %q", got)
	}
}

func TestHideDefaultProfile(t *testing.T) {
	for _, tc := range []struct {
		name, config, credentials string
		wantErr                   string
		wantHidden                bool
	}{
		{"no default", "[profile a]\nregion = x\n", "", "", false},
		{"default with a region only", "[default]\nregion = x\n", "", "", false},
		{"keys in the credentials file", "", "[default]\naws_access_key_id = A\naws_secret_access_key = B\n", "", true},
		{"role in the config file", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = u\n", "", "sets role_arn at ", false},
		{"sso in the config file", "[default]\nsso_session = s\n", "", "sets sso_session at ", false},
		// Keys are case-insensitive for the CLI and the SDKs: upper-case
		// keys are keys all the same (awsenv missed them once).
		{"upper-case keys in the credentials file", "", "[default]\nAWS_ACCESS_KEY_ID = A\nAWS_SECRET_ACCESS_KEY = B\n", "", true},
		{"upper-case keys in the config file", "[default]\nAWS_ACCESS_KEY_ID = A\n", "", "sets aws_access_key_id at ", false},
		{"colon as delimiter", "[default]\naws_access_key_id: A\n", "", "sets aws_access_key_id at ", false},
		{"[profile default] in the config file", "[profile default]\nrole_arn = arn:aws:iam::1:role/r\n", "", "sets role_arn at ", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cf, crf := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
			os.WriteFile(cf, []byte(tc.config), 0o600)
			os.WriteFile(crf, []byte(tc.credentials), 0o600)
			cfg, err := awsconfig.LoadFiles(cf, crf)
			if err != nil {
				t.Fatal(err)
			}
			env, err := hideDefaultProfile(&App{Stderr: io.Discard}, cfg, []string{"PATH=/bin"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), cf+":2") {
					t.Errorf("err = %v, want %q naming %s:2", err, tc.wantErr, cf)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			hidden := slices.Contains(env, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
			if hidden != tc.wantHidden {
				t.Errorf("env = %q, want hidden credentials %v", env, tc.wantHidden)
			}
		})
	}
}
