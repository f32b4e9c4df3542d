package awsconfig

// Kind is how a profile gets its credentials. The values are stable: they
// appear in `awsenv list --json`.
type Kind string

const (
	KindStatic      Kind = "static"       // aws_access_key_id in the profile
	KindRole        Kind = "role"         // role_arn with source_profile or credential_source
	KindSSO         Kind = "sso"          // sso_session or sso_start_url
	KindProcess     Kind = "process"      // credential_process
	KindWebIdentity Kind = "web-identity" // role_arn with web_identity_token_file
	KindLogin       Kind = "login"        // login_session, from `aws login`
	KindNone        Kind = "none"         // nothing to get credentials from
)

// KindOf classifies p as the profile a command was asked for, in the
// order the AWS CLI tries its credential providers (botocore's
// create_credential_resolver, environment variables aside):
//
//  1. role_arn with web_identity_token_file: web identity
//  2. role_arn: a role (its source_profile or credential_source gives the
//     credentials to assume it with; with neither it is an error)
//  3. sso_session or sso_start_url: SSO
//  4. aws_access_key_id in the credentials file: static keys
//  5. login_session: login
//  6. credential_process: process
//  7. aws_access_key_id in the config file: static keys
//
// The Go SDK agrees on 1, 2 and on role_arn winning over the rest, but
// takes static keys from either file before SSO, login and
// credential_process, and assumes role_arn on top of any of them even
// without source_profile. Where they differ awsenv follows the CLI:
// awsenv's promise is the credentials `aws --profile NAME` would use.
func KindOf(p *Profile) (Kind, string) {
	if p.Get("role_arn") != "" {
		switch {
		case p.Get("web_identity_token_file") != "":
			return KindWebIdentity, "web identity"
		case p.Get("source_profile") != "":
			return KindRole, "role via source_profile " + p.Get("source_profile")
		case p.Get("credential_source") != "":
			return KindRole, "role via credential_source " + p.Get("credential_source")
		}
		return KindNone, "role_arn without source_profile or credential_source"
	}
	return baseKind(p)
}

// sourceKind classifies p as a source_profile. Here keys come first: the
// CLI and the Go SDK alike read a source profile that holds
// aws_access_key_id or aws_secret_access_key with the providers of a
// profile without role_arn, so its own role_arn and source_profile are
// not followed (botocore's _resolve_credentials_from_profile). Only a
// source profile without keys can be a role in turn.
func sourceKind(p *Profile) (Kind, string) {
	if hasStaticKeys(p) {
		if p.Get("role_arn") != "" && p.Get("web_identity_token_file") != "" {
			return KindWebIdentity, "web identity"
		}
		return baseKind(p)
	}
	return KindOf(p)
}

// baseKind is KindOf for a profile whose role_arn is not used.
func baseKind(p *Profile) (Kind, string) {
	static := func() (Kind, string) {
		if p.Get("aws_session_token") != "" {
			return KindStatic, "static keys with a session token"
		}
		return KindStatic, "static keys"
	}
	switch {
	case p.Get("sso_session") != "":
		return KindSSO, "SSO (sso_session " + p.Get("sso_session") + ")"
	case p.Get("sso_start_url") != "":
		return KindSSO, "SSO (legacy sso_start_url)"
	case keysIn(p, p.credentialsFile):
		return static()
	case p.Get("login_session") != "":
		return KindLogin, "login session " + p.Get("login_session")
	case p.Get("credential_process") != "":
		return KindProcess, "credential_process"
	case p.Get("aws_access_key_id") != "":
		return static()
	}
	return KindNone, "no credentials"
}

// keysIn reports whether p's aws_access_key_id comes from file.
func keysIn(p *Profile, file string) bool {
	v, ok := p.Keys["aws_access_key_id"]
	return ok && v.Value != "" && file != "" && v.File == file
}

// hasStaticKeys is botocore's _has_static_credentials: either key, even
// empty, makes a profile one of keys.
func hasStaticKeys(p *Profile) bool {
	_, id := p.Keys["aws_access_key_id"]
	_, secret := p.Keys["aws_secret_access_key"]
	return id || secret
}

// CredentialSources are the values credential_source may take.
var CredentialSources = []string{"Environment", "Ec2InstanceMetadata", "EcsContainer"}

func validCredentialSource(s string) bool {
	for _, v := range CredentialSources {
		if s == v {
			return true
		}
	}
	return false
}
