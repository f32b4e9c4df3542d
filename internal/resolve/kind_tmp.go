package resolve

import "github.com/awsenv/awsenv/internal/awsconfig"

// TEMPORARY: replaced by awsconfig's classifier when it lands.
const (
	kindStatic      = "static"
	kindRole        = "role"
	kindSSO         = "sso"
	kindProcess     = "process"
	kindWebIdentity = "web-identity"
	kindNone        = "none"
)

func kindOf(p *awsconfig.Profile) (string, string) {
	role := p.Get("role_arn") != ""
	switch {
	case role && p.Get("source_profile") != "":
		return kindRole, ""
	case role && p.Get("credential_source") != "":
		return kindRole, ""
	case role && p.Get("web_identity_token_file") != "":
		return kindWebIdentity, ""
	case p.Get("sso_session") != "" || p.Get("sso_start_url") != "":
		return kindSSO, ""
	case p.Get("credential_process") != "":
		return kindProcess, ""
	case p.Get("aws_access_key_id") != "":
		return kindStatic, ""
	}
	return kindNone, ""
}
