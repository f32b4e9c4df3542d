package resolve

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// hop is one role of a chain, as its profile states it.
type hop struct {
	p                                           *awsconfig.Profile
	roleARN, externalID, sessionName, mfaSerial string
	duration                                    time.Duration // duration_seconds; 0 when unset

	// Exactly one of these is the source of the credentials that assume
	// the role: the profile's own keys (source_profile names itself), a
	// source profile, or a credential_source.
	self             bool
	source           *awsconfig.Profile
	credentialSource string
	// sourceName names the source in messages and MFA cache keys.
	sourceName string
}

// hopOf reads the role of profile p.
func (r *Resolver) hopOf(p *awsconfig.Profile) (*hop, error) {
	h := &hop{
		p:           p,
		roleARN:     p.Get("role_arn"),
		externalID:  p.Get("external_id"),
		sessionName: p.Get("role_session_name"),
		mfaSerial:   p.Get("mfa_serial"),
	}
	if v, ok := p.Keys["duration_seconds"]; ok && v.Value != "" {
		n, err := strconv.Atoi(v.Value)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("profile %q: duration_seconds = %s at %s is not a number of seconds; write e.g. 3600", p.Name, v.Value, v.Where())
		}
		h.duration = time.Duration(n) * time.Second
	}
	src, hasSource := p.Keys["source_profile"]
	cs, hasCS := p.Keys["credential_source"]
	switch {
	case hasSource && src.Value != "" && hasCS && cs.Value != "":
		return nil, fmt.Errorf("profile %q sets both source_profile (%s) and credential_source (%s); keep one", p.Name, src.Where(), cs.Where())
	case hasCS && cs.Value != "":
		switch cs.Value {
		case "Environment", "Ec2InstanceMetadata", "EcsContainer":
		default:
			return nil, fmt.Errorf("profile %q: credential_source = %s at %s is not Environment, Ec2InstanceMetadata or EcsContainer", p.Name, cs.Value, cs.Where())
		}
		h.credentialSource, h.sourceName = cs.Value, "credential_source "+cs.Value
	case src.Value == p.Name && p.Get("aws_access_key_id") != "":
		// botocore and the SDKs: a role profile that names itself as the
		// source assumes the role with its own keys.
		h.self, h.sourceName = true, p.Name
	default:
		next, ok := r.cfg.Profile(src.Value)
		if !ok {
			return nil, fmt.Errorf("profile %q: source_profile %q (%s) is not in %s or %s", p.Name, src.Value, src.Where(), r.cfg.ConfigFile, r.cfg.CredentialsFile)
		}
		h.source, h.sourceName = next, next.Name
	}
	return h, nil
}

// source returns the credentials that assume h's role, and whether they
// are another role's (role chaining, which STS limits to an hour).
func (r *Resolver) source(ctx context.Context, h *hop, seen []string) (aws.Credentials, bool, error) {
	switch {
	case h.self:
		return staticKeys(h.p), false, nil
	case h.source != nil:
		kind, _ := kindOf(h.source)
		c, err := r.credentials(ctx, h.source, seen)
		return c, kind == kindRole, err
	}
	c, err := r.credentialSource(ctx, h)
	return c, false, err
}
