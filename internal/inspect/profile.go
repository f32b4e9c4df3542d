package inspect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// Kind is how a profile gets its credentials. The values are stable: they
// appear in `awsenv list --json`.
type Kind string

const (
	KindStatic      Kind = "static"       // aws_access_key_id in the profile
	KindRole        Kind = "role"         // role_arn with source_profile or credential_source
	KindSSO         Kind = "sso"          // sso_session or sso_start_url
	KindProcess     Kind = "process"      // credential_process
	KindWebIdentity Kind = "web-identity" // role_arn with web_identity_token_file
	KindNone        Kind = "none"         // nothing to get credentials from
)

// Info describes one profile without contacting AWS.
type Info struct {
	Name  string
	Kind  Kind
	Label string // e.g. "role via source_profile base"
	// Region is the profile's own region; the SDKs do not inherit it
	// along source_profile.
	Region      string
	RegionWhere string
	// Chain is the profile followed by its source profiles, down to the
	// one that holds the credentials: ["app", "base"].
	Chain []string
	// ChainError says why the chain cannot be followed (missing or looping
	// source_profile, a role with nothing to assume it with).
	ChainError string
	// MFASerials are the mfa_serial of every role in the chain: each needs
	// a code.
	MFASerials []string
	RoleARN    string
	// RoleHops counts the roles in the chain; more than one is role
	// chaining, which STS limits to one-hour sessions.
	RoleHops int
	// Duration is the profile's duration_seconds, or 0.
	Duration time.Duration
	// Root is the profile at the end of the chain.
	Root *awsconfig.Profile
}

// Describe follows the profile's chain as the SDKs would.
func Describe(cfg *awsconfig.Config, name string) Info {
	info := Info{Name: name}
	p, ok := cfg.Profile(name)
	if !ok {
		info.Kind, info.Label = KindNone, "not found"
		info.ChainError = fmt.Sprintf("profile %q is not in %s or %s", name, cfg.ConfigFile, cfg.CredentialsFile)
		return info
	}
	if v, ok := p.Keys["region"]; ok && v.Value != "" {
		info.Region, info.RegionWhere = v.Value, v.Where()
	}
	if s := p.Get("duration_seconds"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			info.Duration = time.Duration(n) * time.Second
		}
	}
	info.RoleARN = p.Get("role_arn")
	info.Kind, info.Label = kindOf(p)

	seen := map[string]bool{}
	cur := p
	for {
		info.Chain = append(info.Chain, cur.Name)
		seen[cur.Name] = true
		info.Root = cur
		k, _ := kindOf(cur)
		if k != KindRole {
			if k == KindNone {
				if len(info.Chain) > 1 {
					info.ChainError = fmt.Sprintf("source profile %q has no credentials: no keys, role, SSO or credential_process", cur.Name)
				}
			}
			return info
		}
		info.RoleHops++
		if s := cur.Get("mfa_serial"); s != "" {
			info.MFASerials = append(info.MFASerials, s)
		}
		src, hasSrc := cur.Keys["source_profile"]
		if cs := cur.Get("credential_source"); cs != "" {
			if hasSrc {
				info.ChainError = fmt.Sprintf("profile %q sets both source_profile and credential_source (%s); keep one", cur.Name, src.Where())
			} else if !validCredentialSource(cs) {
				v := cur.Keys["credential_source"]
				info.ChainError = fmt.Sprintf("profile %q: credential_source %q (%s) is not Environment, Ec2InstanceMetadata or EcsContainer", cur.Name, cs, v.Where())
			}
			return info
		}
		// A profile with its own keys may name itself as the source: the
		// CLI then assumes the role with those keys.
		if src.Value == cur.Name && cur.Get("aws_access_key_id") != "" {
			return info
		}
		next, ok := cfg.Profile(src.Value)
		switch {
		case !ok:
			info.ChainError = fmt.Sprintf("profile %q: source_profile %q (%s) is not in %s or %s", cur.Name, src.Value, src.Where(), cfg.ConfigFile, cfg.CredentialsFile)
			return info
		case seen[src.Value]:
			info.ChainError = fmt.Sprintf("source_profile loop: %s > %s (%s)", strings.Join(info.Chain, " > "), src.Value, src.Where())
			info.Chain = append(info.Chain, src.Value)
			return info
		}
		cur = next
	}
}

// kindOf classifies one profile in the order the SDKs try the sources.
func kindOf(p *awsconfig.Profile) (Kind, string) {
	role := p.Get("role_arn") != ""
	switch {
	case role && p.Get("source_profile") != "":
		return KindRole, "role via source_profile " + p.Get("source_profile")
	case role && p.Get("credential_source") != "":
		return KindRole, "role via credential_source " + p.Get("credential_source")
	case role && p.Get("web_identity_token_file") != "":
		return KindWebIdentity, "web identity"
	case p.Get("sso_session") != "":
		return KindSSO, "SSO (sso_session " + p.Get("sso_session") + ")"
	case p.Get("sso_start_url") != "":
		return KindSSO, "SSO (legacy sso_start_url)"
	case p.Get("credential_process") != "":
		return KindProcess, "credential_process"
	case p.Get("aws_access_key_id") != "":
		if p.Get("aws_session_token") != "" {
			return KindStatic, "static keys with a session token"
		}
		return KindStatic, "static keys"
	case role:
		return KindNone, "role_arn without source_profile or credential_source"
	}
	return KindNone, "no credentials"
}

func validCredentialSource(s string) bool {
	switch s {
	case "Environment", "Ec2InstanceMetadata", "EcsContainer":
		return true
	}
	return false
}

// ProfileName is the profile a command should look at and who chose it:
// the flag, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
func ProfileName(flag string, getenv func(string) string) (name, source string) {
	switch {
	case flag != "":
		return flag, "--profile"
	case getenv("AWS_PROFILE") != "":
		return getenv("AWS_PROFILE"), "AWS_PROFILE"
	case getenv("AWS_DEFAULT_PROFILE") != "":
		return getenv("AWS_DEFAULT_PROFILE"), "AWS_DEFAULT_PROFILE"
	}
	return "default", "the default"
}
