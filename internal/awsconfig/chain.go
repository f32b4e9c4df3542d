package awsconfig

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Hop is one profile of a credential chain with the settings a resolver
// needs from it. A Value that is not set is the zero Value.
type Hop struct {
	Profile *Profile
	Kind    Kind
	Label   string // e.g. "role via source_profile base"

	// For KindRole and KindWebIdentity.
	RoleARN              Value
	SourceProfile        Value // a role whose credentials come from the next hop
	CredentialSource     Value // a role whose credentials come from Environment, Ec2InstanceMetadata or EcsContainer; the last hop
	WebIdentityTokenFile Value
	MFASerial            Value
	ExternalID           Value
	RoleSessionName      Value
	// Duration is duration_seconds, or 0 when it is not set.
	Duration      time.Duration
	DurationValue Value

	// Region is the profile's own region; the SDKs do not inherit it along
	// source_profile.
	Region Value

	// Ignored names settings of this profile the chain does not use, and
	// why (a source profile's role_arn when it holds keys), for doctor.
	Ignored string
}

// ChainError is a chain that cannot be followed: a missing or looping
// source_profile, a role with nothing to assume it with, a bad value.
type ChainError struct {
	Profile string   // the profile whose setting breaks the chain
	Where   string   // file:line of that setting, or ""
	Chain   []string // the profiles followed, a loop's repeated profile last
	Why     string   // says what to do too
}

func (e *ChainError) Error() string {
	msg := fmt.Sprintf("profile %q: %s", e.Profile, e.Why)
	if e.Where != "" {
		msg += " (" + e.Where + ")"
	}
	return msg
}

// Chain follows profile name to the profile that holds its credentials,
// as the AWS CLI does (botocore's AssumeRoleProvider):
//
//   - The first hop is the named profile, classified by KindOf.
//   - A role hop with source_profile is followed by its source profile,
//     classified by sourceKind: one with keys ends the chain even if it
//     has a role_arn of its own; one without keys that is a role goes on.
//   - A role hop with credential_source, or any hop that is not a role,
//     ends the chain. The last hop says where the first credentials come
//     from; every role hop before it is then assumed, last to first.
//   - A role whose source_profile is itself and that holds keys is
//     assumed with those keys: the chain is [P as role, P as static]. The
//     CLI and the Go SDK both allow this, and only this, repeat.
//   - Any other repeat is a loop and an error naming the profiles
//     (A → B → A), also when the repeated profile holds keys: the CLI
//     refuses it (InfiniteLoopConfigError) where the Go SDK would quietly
//     use the keys.
//
// On error the hops followed so far are returned with a *ChainError, or
// with a *NotFoundError when name itself is not a profile.
func (c *Config) Chain(name string) ([]Hop, error) {
	p, err := c.Lookup(name)
	if err != nil {
		return nil, err
	}
	// Chains are a few hops: a slice serves as the set of those visited,
	// and one config may hold ten thousand profiles to describe.
	hops := make([]Hop, 0, 2)
	visited := func(name string) bool {
		for _, h := range hops {
			if h.Profile.Name == name {
				return true
			}
		}
		return false
	}
	names := func(extra ...string) []string {
		out := make([]string, 0, len(hops)+len(extra))
		for _, h := range hops {
			out = append(out, h.Profile.Name)
		}
		return append(out, extra...)
	}
	kind, label := KindOf(p)
	self := false // p is the first profile again, as its own source
	for {
		h, err := newHop(p, kind, label)
		if self {
			h.Ignored = ""
		}
		hops = append(hops, h)
		if err != nil {
			err.Chain = names()
			return hops, err
		}
		fail := func(v Value, why string, a ...any) ([]Hop, error) {
			e := &ChainError{Profile: p.Name, Chain: names(), Why: fmt.Sprintf(why, a...)}
			if v.File != "" {
				e.Where = v.Where()
			}
			return hops, e
		}
		switch kind {
		case KindNone:
			if len(hops) > 1 {
				return fail(Value{}, "it is the source_profile of %q but has no credentials: no keys, role, SSO, login or credential_process", hops[len(hops)-2].Profile.Name)
			}
			if h.RoleARN.Value != "" {
				return fail(h.RoleARN, "role_arn needs source_profile or credential_source to say which credentials assume the role: add one")
			}
			return hops, nil
		case KindStatic:
			if p.Get("aws_secret_access_key") == "" {
				return fail(p.Keys["aws_access_key_id"], "aws_access_key_id without aws_secret_access_key: add the secret key or remove the key id")
			}
			if p.Get("aws_access_key_id") == "" {
				return fail(p.Keys["aws_secret_access_key"], "aws_secret_access_key without aws_access_key_id: add the key id or remove the secret key")
			}
			return hops, nil
		case KindSSO:
			if s := p.Keys["sso_session"]; s.Value != "" {
				if _, ok := c.SSOSession(s.Value); !ok {
					return fail(s, "sso_session %q has no [sso-session %s] section in %s: add it or fix the name", s.Value, s.Value, c.ConfigFile)
				}
			}
			return hops, nil
		case KindRole:
		default:
			return hops, nil
		}
		if h.SourceProfile.Value != "" && h.CredentialSource.Value != "" {
			return fail(h.CredentialSource, "sets both source_profile (%s) and credential_source: keep one", h.SourceProfile.Where())
		}
		if cs := h.CredentialSource.Value; cs != "" {
			if !validCredentialSource(cs) {
				return fail(h.CredentialSource, "credential_source %q is not %s", cs, strings.Join(CredentialSources, ", "))
			}
			return hops, nil
		}
		src := h.SourceProfile
		next, ok := c.Profile(src.Value)
		switch {
		case !ok:
			return fail(src, "source_profile %q is not in %s or %s: fix the name (`awsenv list` shows every profile)", src.Value, c.ConfigFile, c.CredentialsFile)
		case src.Value == p.Name && len(hops) == 1 && hasStaticKeys(p):
			// The one allowed repeat: the role is assumed with what the
			// profile holds besides its role, its keys as a rule.
			kind, label = sourceKind(p)
			self = true
		case visited(src.Value):
			e := &ChainError{Profile: p.Name, Where: src.Where(), Chain: names(src.Value)}
			loop := strings.Join(e.Chain, " → ")
			e.Why = "source_profile loop " + loop + ": point the last source_profile at a profile with credentials"
			if src.Value == p.Name {
				e.Why = "source_profile loop " + loop + ": a profile may name itself as source_profile only when it holds aws_access_key_id and aws_secret_access_key; add keys or point source_profile at a profile with credentials"
			}
			return hops, e
		default:
			kind, label = sourceKind(next)
			self = false
		}
		p = next
	}
}

// newHop reads the settings of p that a resolver needs.
func newHop(p *Profile, kind Kind, label string) (Hop, *ChainError) {
	h := Hop{Profile: p, Kind: kind, Label: label, Region: p.Keys["region"]}
	if kind == KindRole || kind == KindWebIdentity || kind == KindNone {
		h.RoleARN = p.Keys["role_arn"]
		h.SourceProfile = p.Keys["source_profile"]
		h.CredentialSource = p.Keys["credential_source"]
		h.WebIdentityTokenFile = p.Keys["web_identity_token_file"]
		h.MFASerial = p.Keys["mfa_serial"]
		h.ExternalID = p.Keys["external_id"]
		h.RoleSessionName = p.Keys["role_session_name"]
		if v, ok := p.Keys["duration_seconds"]; ok && v.Value != "" {
			h.DurationValue = v
			d, err := ParseDuration(v)
			if err != nil {
				return h, &ChainError{Profile: p.Name, Where: v.Where(), Why: err.Error()}
			}
			h.Duration = d
		}
	} else if p.Get("role_arn") != "" {
		h.Ignored = "its role_arn is not used: a source profile that holds keys gives those keys, in the AWS CLI and the SDKs alike"
	}
	return h, nil
}

// ParseDuration reads a duration_seconds value: whole seconds between 900
// and 43200, what STS accepts. The CLI ignores a value that is not a
// number and the Go SDK fails on it; awsenv fails too, rather than
// quietly give a one-hour session.
func ParseDuration(v Value) (time.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v.Value))
	if err != nil {
		return 0, fmt.Errorf("duration_seconds is not a whole number of seconds")
	}
	if n < 900 || n > 43200 {
		return 0, fmt.Errorf("duration_seconds %d is outside 900 to 43200, what STS accepts", n)
	}
	return time.Duration(n) * time.Second, nil
}

// Info describes one profile without contacting AWS.
type Info struct {
	Name   string
	Kind   Kind
	Label  string // e.g. "role via source_profile base"
	Region string
	// RegionValue is Region with its file and line.
	RegionValue Value
	// Chain is the profile followed by its source profiles, down to the
	// one that holds the credentials: ["app", "base"].
	Chain []string
	// ChainError says why the chain cannot be followed; Err is the error.
	ChainError string
	Err        error
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
	Root *Profile
	Hops []Hop
}

// Describe follows the profile's chain (Chain) and sums it up.
func (c *Config) Describe(name string) Info {
	info := Info{Name: name, Kind: KindNone, Label: "not found"}
	hops, err := c.Chain(name)
	info.Hops = hops
	if err != nil {
		info.Err, info.ChainError = err, err.Error()
	}
	if len(hops) == 0 {
		return info
	}
	first := hops[0]
	info.Kind, info.Label = first.Kind, first.Label
	info.Region, info.RoleARN, info.Duration = first.Region.Value, first.RoleARN.Value, first.Duration
	if first.Region.Value != "" {
		info.RegionValue = first.Region
	}
	for _, h := range hops {
		info.Chain = append(info.Chain, h.Profile.Name)
		if h.Kind == KindRole {
			info.RoleHops++
			if h.MFASerial.Value != "" {
				info.MFASerials = append(info.MFASerials, h.MFASerial.Value)
			}
		}
	}
	var ce *ChainError
	if asChainError(err, &ce) && len(ce.Chain) > len(info.Chain) {
		info.Chain = ce.Chain
	}
	info.Root = hops[len(hops)-1].Profile
	return info
}

func asChainError(err error, target **ChainError) bool {
	ce, ok := err.(*ChainError)
	if ok {
		*target = ce
	}
	return ok
}
