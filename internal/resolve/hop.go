package resolve

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// hop is one role of the chain, as awsconfig.Chain read it, with what
// assumes it: the next hop, or its credential_source.
type hop struct {
	awsconfig.Hop
	next *awsconfig.Hop // nil with credential_source
}

func (h *hop) name() string { return h.Profile.Name }

// sourceName names the source in messages and MFA cache keys.
func (h *hop) sourceName() string {
	if h.next == nil {
		return "credential_source " + h.CredentialSource.Value
	}
	return h.next.Profile.Name
}

// credentials resolves hop i of the chain and, for a role, the hops
// below it, as far as the cache does not answer first.
func (r *Resolver) credentials(ctx context.Context, i int) (aws.Credentials, error) {
	h := r.hops[i]
	p := h.Profile
	switch h.Kind {
	case awsconfig.KindRole:
		role := &hop{Hop: h}
		if h.CredentialSource.Value == "" {
			role.next = &r.hops[i+1]
		}
		return r.role(ctx, role, i)
	case awsconfig.KindWebIdentity:
		return r.webIdentity(ctx, h)
	case awsconfig.KindSSO:
		return r.sso(ctx, p)
	case awsconfig.KindProcess:
		return r.process(ctx, p)
	case awsconfig.KindStatic:
		return staticKeys(p), nil
	case awsconfig.KindLogin:
		return aws.Credentials{}, fmt.Errorf("profile %q uses login_session (the AWS CLI's `aws login`), which awsenv cannot resolve yet: use an SSO or role profile, or `awsenv exec` with the AWS CLI's export-credentials", p.Name)
	}
	return aws.Credentials{}, r.noCredentials(p)
}

// source returns the credentials that assume role h (hop i), and
// whether they are another role's (role chaining, which STS limits to an
// hour).
func (r *Resolver) source(ctx context.Context, h *hop, i int) (aws.Credentials, bool, error) {
	if h.next == nil {
		c, err := r.credentialSource(ctx, h)
		return c, false, err
	}
	c, err := r.credentials(ctx, i+1)
	return c, h.next.Kind == awsconfig.KindRole, err
}
