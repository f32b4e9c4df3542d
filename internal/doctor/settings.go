package doctor

import (
	"strings"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
)

const notSet = "<not set>"

// Settings is the `aws configure list` table for profile name, with the
// chain settings awsenv reads added. Keys never appear: access key ids are
// masked, secrets described. explicit says the profile was named on the
// command line, which (for the CLI) beats credential variables.
func Settings(cfg *awsconfig.Config, name, nameSource string, explicit bool, getenv func(string) string) []Setting {
	rows := []Setting{{Name: "profile", Value: name, Type: profileType(nameSource), Location: profileLocation(nameSource)}}
	p, ok := cfg.Profile(name)
	if !ok {
		p = &awsconfig.Profile{Name: name, Keys: map[string]awsconfig.Value{}}
	}
	fromFile := func(key string) (awsconfig.Value, bool) {
		v, ok := p.Keys[key]
		return v, ok && v.Value != ""
	}
	fileType := func(v awsconfig.Value) string {
		if v.File == cfg.CredentialsFile {
			return "shared-credentials-file"
		}
		return "config-file"
	}
	env := !explicit && getenv(creds.AccessKeyID) != ""
	for _, k := range []struct{ row, env, file string }{
		{"access_key", creds.AccessKeyID, "aws_access_key_id"},
		{"secret_key", creds.SecretAccessKey, "aws_secret_access_key"},
		{"session_token", creds.SessionToken, "aws_session_token"},
	} {
		show := func(v string) string {
			if k.row == "access_key" {
				return creds.MaskKey(v)
			}
			return creds.DescribeSecret(v)
		}
		switch v, ok := fromFile(k.file); {
		case env && getenv(k.env) != "":
			rows = append(rows, Setting{k.row, show(getenv(k.env)), "env", k.env})
		case env:
			if k.row != "session_token" {
				rows = append(rows, Setting{k.row, notSet, "env", k.env})
			}
		case ok:
			rows = append(rows, Setting{k.row, show(v.Value), fileType(v), v.Where()})
		case k.row == "session_token":
		default:
			rows = append(rows, Setting{k.row, notSet, derivedType(p), ""})
		}
	}
	region := Setting{"region", notSet, "", ""}
	for _, n := range []string{creds.Region, creds.DefaultRegion} {
		if v := getenv(n); v != "" {
			region = Setting{"region", v, "env", n}
			break
		}
	}
	if region.Value == notSet {
		if v, ok := fromFile("region"); ok {
			region = Setting{"region", v.Value, fileType(v), v.Where()}
		}
	}
	rows = append(rows, region)
	for _, key := range []string{"role_arn", "source_profile", "credential_source", "mfa_serial", "external_id",
		"role_session_name", "duration_seconds", "web_identity_token_file", "sso_session", "sso_start_url",
		"sso_account_id", "sso_role_name", "credential_process", "x_security_token_expires", "endpoint_url", "services"} {
		v, ok := fromFile(key)
		if !ok {
			continue
		}
		val := v.Value
		if key == "credential_process" {
			// A command line may carry a secret.
			val = "(set)"
		}
		rows = append(rows, Setting{key, val, fileType(v), v.Where()})
	}
	if ep := cfg.STSEndpoint(p); ep.URL != "" {
		typ := "config-file"
		if !strings.Contains(ep.Source, ":") {
			typ = "env"
		}
		rows = append(rows, Setting{"sts_endpoint", ep.URL, typ, ep.Source})
	}
	return rows
}

func profileType(source string) string {
	switch source {
	case "--profile":
		return "manual"
	case "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWSENV_PROFILE":
		return "env"
	}
	return "default"
}

func profileLocation(source string) string {
	switch source {
	case "--profile":
		return "--profile"
	case "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWSENV_PROFILE":
		return source
	}
	return ""
}

// derivedType names where credentials come from when the profile holds
// none itself.
func derivedType(p *awsconfig.Profile) string {
	k, _ := awsconfig.KindOf(p)
	switch k {
	case awsconfig.KindRole:
		return "assume-role"
	case awsconfig.KindSSO:
		return "sso"
	case awsconfig.KindProcess:
		return "custom-process"
	case awsconfig.KindWebIdentity:
		return "assume-role-with-web-identity"
	}
	return ""
}
