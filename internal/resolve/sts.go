package resolve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/tty"
)

// duration picks --duration, else the profile's duration_seconds, else
// the CLI's hour.
func (r *Resolver) duration(h *hop) time.Duration {
	switch {
	case r.req.Duration > 0:
		return r.req.Duration
	case h.Duration > 0:
		return h.Duration
	}
	return creds.DefaultDuration
}

// AssumeRole's DurationSeconds limits; a role's own maximum, and role
// chaining's hour, STS alone knows and reports (see explainSTS).
const (
	minRoleSession = 15 * time.Minute
	maxRoleSession = 12 * time.Hour
)

// assumeRole calls AssumeRole for the role profile sc with the source
// credentials src, adding the MFA device and a code when withMFA is set.
// It returns the credentials and the response as the cache stores it.
func (r *Resolver) assumeRole(ctx context.Context, h *hop, src aws.Credentials, chained, withMFA bool) (aws.Credentials, cache.Entry, error) {
	d := r.duration(h)
	if d < minRoleSession || d > maxRoleSession {
		return aws.Credentials{}, cache.Entry{}, fmt.Errorf("profile %q: STS grants role sessions of %s to %s, not %s; ask for a length in that range with --duration or duration_seconds (and no more than the role's maximum session duration, or 1h for a role assumed with another role's credentials)", r.req.Profile, minRoleSession, maxRoleSession, d)
	}
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(h.RoleARN.Value),
		RoleSessionName: aws.String(sessionName(h.RoleSessionName.Value)),
		DurationSeconds: aws.Int32(int32(d / time.Second)),
	}
	if h.ExternalID.Value != "" {
		in.ExternalId = aws.String(h.ExternalID.Value)
	}
	if withMFA {
		code, err := r.mfaCode(h.name(), h.MFASerial.Value)
		if err != nil {
			return aws.Credentials{}, cache.Entry{}, err
		}
		in.SerialNumber = aws.String(h.MFASerial.Value)
		in.TokenCode = aws.String(code)
	}
	ctx, cancel := context.WithTimeout(ctx, r.req.Timeout)
	defer cancel()
	client, err := r.clients.sts(staticProvider{src})
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, err
	}
	out, err := client.AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, cache.Entry{}, withCause(r.explainSTS(h, err, d, chained), err)
	}
	if out.Credentials == nil {
		return aws.Credentials{}, cache.Entry{}, fmt.Errorf("profile %q: STS at %s answered AssumeRole for %s without credentials", r.req.Profile, r.target, h.RoleARN.Value)
	}
	e := entryOf(out.Credentials)
	if u := out.AssumedRoleUser; u != nil {
		e.AssumedRoleUser = &cache.RoleUser{AssumedRoleID: aws.ToString(u.AssumedRoleId), Arn: aws.ToString(u.Arn)}
		e.Credentials.AccountID = awsconfig.ARNAccount(aws.ToString(u.Arn))
	}
	return credsOf(e), e, nil
}

// sessionName is the configured role_session_name or, like the CLI, one
// that says where the session came from in CloudTrail.
func sessionName(configured string) string {
	if configured != "" {
		return configured
	}
	return fmt.Sprintf("awsenv-%d", time.Now().UnixNano())
}

// mfaCode takes --mfa-token, else asks on the terminal.
func (r *Resolver) mfaCode(profile, serial string) (string, error) {
	if r.req.MFAToken != "" {
		return r.req.MFAToken, nil
	}
	if r.req.NoPrompt {
		return "", fmt.Errorf("profile %q needs a code from MFA device %s and awsenv may not ask for one here (--no-prompt): run `awsenv refresh` or `%s` yourself", profile, serial, shell.Cmd("use", profile))
	}
	code, err := tty.Ask(fmt.Sprintf("MFA code for %s (profile %s): ", serial, profile))
	if errors.Is(err, tty.ErrNoTerminal) {
		return "", fmt.Errorf("profile %q needs a code from MFA device %s and there is no terminal to ask on: pass --mfa-token CODE", profile, serial)
	}
	if err != nil {
		return "", err
	}
	if code == "" {
		return "", fmt.Errorf("profile %q: no MFA code entered for %s", profile, serial)
	}
	return code, nil
}

// explainSTS says what a failed AssumeRole means and what to do next.
func (r *Resolver) explainSTS(h *hop, err error, d time.Duration, chained bool) error {
	role := h.RoleARN.Value
	where := r.target.String()
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorMessage()
		switch code := ae.ErrorCode(); {
		case SkewedClock(err):
			return fmt.Errorf("profile %q: STS refused the request as signed at the wrong time (%s: %s): this machine's clock is more than 5 minutes off; set it right (e.g. `sudo timedatectl set-ntp true`), then try again, or run `%s`", r.req.Profile, code, msg, shell.Cmd("doctor", "--profile", r.req.Profile))
		case code == "ExpiredToken":
			return fmt.Errorf("profile %q: the source credentials for %s are expired (STS: %s); renew the source profile %q's keys, or run `%s`", r.req.Profile, role, msg, h.sourceName(), shell.Cmd("doctor", "--profile", r.req.Profile))
		case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
			return fmt.Errorf("profile %q: STS rejected the source credentials for %s (%s: %s); check the keys of profile %q, or run `%s`", r.req.Profile, role, code, msg, h.sourceName(), shell.Cmd("doctor", "--profile", r.req.Profile))
		case strings.Contains(strings.ToLower(msg), "durationseconds"):
			hint := "ask for less with --duration or duration_seconds, or raise the role's maximum session duration"
			if chained {
				hint = "a role assumed with another role's credentials (role chaining) is limited to 1 hour: use --duration 1h"
			}
			return fmt.Errorf("profile %q: STS refused a %s session for %s: %s; %s", r.req.Profile, d, role, msg, hint)
		case code == "AccessDenied":
			return fmt.Errorf("profile %q: not allowed to assume %s (%s); check the role's trust policy, external_id and mfa_serial", r.req.Profile, role, msg)
		}
		return fmt.Errorf("profile %q: assuming %s at %s failed: %s: %s", r.req.Profile, role, where, ae.ErrorCode(), msg)
	}
	return fmt.Errorf("profile %q: could not reach STS at %s to assume %s: %w; check the network, proxy variables and the endpoint, or run `%s`", r.req.Profile, where, role, unwrapNet(err), shell.Cmd("doctor", "--profile", r.req.Profile))
}

// unwrapNet drops the SDK's layers of operation wrapping, which repeat the
// request and hide the one sentence that matters (refused, timed out).
func unwrapNet(err error) error {
	var ne net.Error
	if errors.As(err, &ne) {
		return ne
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe
	}
	return err
}

// SkewedClock reports whether STS refused a request because of the time
// it was signed at: "Signature expired" (SignatureDoesNotMatch with that
// message) or RequestExpired. The keys are fine; the clock is not.
func SkewedClock(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.ErrorCode() == "RequestExpired" || strings.Contains(ae.ErrorMessage(), "Signature expired") || strings.Contains(ae.ErrorMessage(), "Signature not yet current")
}
