package testenv

import (
	"path/filepath"
	"testing"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// SampleSecret is the secret key of SampleCredentials: tests check it
// never shows.
const SampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// SampleConfig has a profile of every kind, and broken ones: for the
// tests of what list, status and doctor say about profiles.
const SampleConfig = `[default]
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

// SampleCredentials holds the keys of SampleConfig's base profile.
const SampleCredentials = `[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = ` + SampleSecret + `
[profile wrong]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
`

// LoadShared writes config and credentials into a new folder and reads
// them as awsenv does.
func LoadShared(t testing.TB, config, credentials string) *awsconfig.Config {
	t.Helper()
	dir := t.TempDir()
	cf, crf := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	WriteFile(t, cf, config, 0o600)
	WriteFile(t, crf, credentials, 0o600)
	cfg, err := awsconfig.LoadFiles(cf, crf)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
