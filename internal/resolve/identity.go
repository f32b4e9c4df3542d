package resolve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
)

// Identity is what GetCallerIdentity says of a set of credentials.
type Identity struct {
	Account  string `json:"account"`
	ARN      string `json:"arn"`
	UserID   string `json:"user_id"`
	Endpoint string `json:"endpoint"`
}

// CallerIdentity asks STS at target who c are, within timeout: no role
// is assumed and nothing cached. p, which may be nil, is the profile whose
// ca_bundle applies.
func CallerIdentity(ctx context.Context, target awsconfig.Target, p *awsconfig.Profile, c aws.Credentials, timeout time.Duration, getenv func(string) string) (Identity, error) {
	hc, err := HTTPClient(p, timeout, getenv)
	if err != nil {
		return Identity{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := NewSTS(target, staticProvider{c}, hc).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, err
	}
	return Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), UserID: aws.ToString(out.UserId), Endpoint: target.URL()}, nil
}

// Verify answers `awsenv status --verify`: who this shell's credential
// variables are (useEnv), else who profile resolves to, by the same code
// as `awsenv use`.
func Verify(ctx context.Context, cfg *awsconfig.Config, profile string, useEnv bool, timeout time.Duration) (Identity, error) {
	p, _ := cfg.Profile(profile)
	target := cfg.STS(p, "", os.Getenv)
	var c aws.Credentials
	if useEnv {
		c = aws.Credentials{AccessKeyID: os.Getenv(creds.AccessKeyID), SecretAccessKey: os.Getenv(creds.SecretAccessKey), SessionToken: os.Getenv(creds.SessionToken)}
	} else {
		got, err := Resolve(ctx, cfg, creds.Request{Profile: profile, Timeout: timeout})
		if err != nil {
			return Identity{}, err
		}
		c = aws.Credentials{AccessKeyID: got.AccessKeyID, SecretAccessKey: got.SecretAccessKey, SessionToken: got.SessionToken}
	}
	id, err := CallerIdentity(ctx, target, p, c, timeout, os.Getenv)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return id, fmt.Errorf("STS at %s rejected the credentials: %s: %s; run `awsenv doctor` for the likely cause", target, ae.ErrorCode(), ae.ErrorMessage())
		}
		return id, fmt.Errorf("could not reach STS at %s: %v; run `awsenv doctor`", target, unwrapNet(err))
	}
	return id, nil
}
