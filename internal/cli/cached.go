package cli

import (
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
)

// cached returns the role credentials of profile p from the AWS CLI's
// cache, when an entry there has more than cache.RefreshMargin left. It is
// what lets `awsenv use` answer in a millisecond, without the SDK binary:
// the key comes from the profile as the CLI reads it, the same key the
// SDK side stores under (see cache.ProfileArgs).
func cached(p *awsconfig.Profile, req creds.Request) (creds.Credentials, bool) {
	if req.Refresh {
		return creds.Credentials{}, false
	}
	args, ok := cache.ProfileArgs(p, req.Duration)
	if !ok {
		return creds.Credentials{}, false
	}
	key, err := args.Key()
	if err != nil {
		return creds.Credentials{}, false
	}
	store, err := cache.CLIStore()
	if err != nil {
		return creds.Credentials{}, false
	}
	e, ok := store.Get(key)
	if !ok || !e.Valid(time.Now()) {
		return creds.Credentials{}, false
	}
	region := req.Region
	if region == "" {
		region = p.Get("region")
	}
	return creds.Credentials{
		AccessKeyID:     e.Credentials.AccessKeyID,
		SecretAccessKey: e.Credentials.SecretAccessKey,
		SessionToken:    e.Credentials.SessionToken,
		Expires:         e.Credentials.Expiration.UTC(),
		Region:          region,
		Profile:         req.Profile,
	}, true
}
