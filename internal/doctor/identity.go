package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/resolve"
)

// target is a set of credentials the identity check sends to STS.
type target struct {
	label string
	creds aws.Credentials
}

// checkIdentity calls GetCallerIdentity with the credentials of this
// shell, and with the profile's own keys (the root of its chain): no role
// is assumed and no MFA code asked for, so doctor changes nothing.
func (r *run) checkIdentity(ctx context.Context) []Finding {
	var targets []target
	s := r.shell
	if s.AccessKeyID != "" && s.HasSecret {
		targets = append(targets, target{
			label: fmt.Sprintf("this shell's credential variables (%s)", creds.MaskKey(s.AccessKeyID)),
			creds: aws.Credentials{AccessKeyID: r.getenv(creds.AccessKeyID), SecretAccessKey: r.getenv(creds.SecretAccessKey), SessionToken: r.getenv(creds.SessionToken)},
		})
	}
	var skipped string
	switch root := r.info.Root; {
	case r.prof == nil || root == nil:
	case root.Get("aws_access_key_id") != "" && root.Get("aws_secret_access_key") != "":
		label := fmt.Sprintf("the keys of profile %q (%s, %s)", root.Name, creds.MaskKey(root.Get("aws_access_key_id")), root.Keys["aws_access_key_id"].Where())
		if root.Name != r.profile {
			label = fmt.Sprintf("the source keys of profile %q: profile %q (%s, %s)", r.profile, root.Name, creds.MaskKey(root.Get("aws_access_key_id")), root.Keys["aws_access_key_id"].Where())
		}
		targets = append(targets, target{label: label, creds: aws.Credentials{
			AccessKeyID: root.Get("aws_access_key_id"), SecretAccessKey: root.Get("aws_secret_access_key"), SessionToken: root.Get("aws_session_token"),
		}})
	default:
		skipped = fmt.Sprintf("profile %q (%s) was not checked: doctor assumes no role and asks for no login; `%s` tests the whole chain", r.profile, r.info.Label, r.userShell().Eval("use", r.profile))
	}
	if len(targets) == 0 {
		f := Finding{Check: "identity", Status: Skipped, Title: "Identity", Found: "no credentials to check"}
		if skipped != "" {
			f.Found = skipped
		}
		return []Finding{f}
	}
	target := r.target()
	var out []Finding
	for _, t := range targets {
		f := Finding{Check: "identity", Title: "Identity"}
		if r.reachErr != nil {
			f.Status, f.Found = Skipped, "not checked for "+t.label+": the STS endpoint is unreachable (see STS endpoint)"
			out = append(out, f)
			continue
		}
		id, err := resolve.CallerIdentity(ctx, target, r.prof, t.creds, stepTimeout, r.getenv)
		if err != nil {
			f.Status = Error
			f.Title = "Identity check failed"
			f.Found, f.Why, f.Fix = r.explainIdentity(t.label, err)
			f.Details = []string{"endpoint " + target.String()}
		} else {
			f.Status = OK
			f.Found = fmt.Sprintf("%s: account %s, %s", t.label, id.Account, id.ARN)
		}
		out = append(out, f)
	}
	if skipped != "" {
		out = append(out, Finding{Check: "identity", Status: Skipped, Title: "Identity", Found: skipped})
	}
	return out
}

// explainIdentity says what a failed GetCallerIdentity means, pointing at
// the findings so far that are the likely cause.
func (r *run) explainIdentity(label string, err error) (found, why, fix string) {
	causes := func(checks ...string) string {
		var titles []string
		for _, f := range r.report.Findings {
			if f.Status != Error && f.Status != Warning {
				continue
			}
			for _, c := range checks {
				if f.Check == c {
					titles = append(titles, f.Title)
				}
			}
		}
		if len(titles) == 0 {
			return ""
		}
		return " Likely cause, found above: " + strings.Join(titles, "; ") + "."
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return fmt.Sprintf("%s: could not call STS: %v", label, unwrapNetErr(err)), "Without STS no credentials can be checked or renewed.", "see the STS endpoint check; check the network and proxy variables"
	}
	found = fmt.Sprintf("%s: STS said %s: %s", label, ae.ErrorCode(), ae.ErrorMessage())
	if resolve.SkewedClock(err) {
		why = "STS judged the request by the time it was signed at: this machine's clock is more than 5 minutes off, and every AWS request fails until it is right, whatever the keys." + causes("clock")
		fix = "set the clock right: turn on time synchronisation (`sudo timedatectl set-ntp true` on Linux, System Settings > Date & Time on macOS, `w32tm /resync` on Windows)"
		return found, why, fix
	}
	switch ae.ErrorCode() {
	case "ExpiredToken":
		why = "The session token has expired: the credentials are a session that ended, still exported in the shell or stored in a file, or the clock is off." + causes("env", "profile", "clock")
		fix = "get a new session: " + r.useCmd("--refresh") + "; if the variables are stale, " + r.clearFix()
	case "InvalidClientTokenId", "UnrecognizedClientException":
		why = "STS does not know this access key id: the key was deleted or deactivated, a temporary key (ASIA…) is sent without its session token or with another session's, the key belongs to another partition (China, GovCloud), or the STS endpoint is in a region not enabled for the account." + causes("env", "profile", "precedence")
		fix = "check the key in the IAM console (Security credentials), create a new one if it was deleted; for temporary keys, " + r.useCmd()
	case "SignatureDoesNotMatch":
		why = "The secret key does not belong to the access key id (keys mixed from the variables and a file, or a wrong paste), or the clock is more than 5 minutes off." + causes("env", "clock", "precedence")
		fix = "set both keys again from the same source; check the clock"
	case "AccessDenied", "AccessDeniedException":
		why = "The credentials are valid but a policy (an SCP or a permission boundary) denies sts:GetCallerIdentity, which is unusual."
		fix = "ask your AWS administrator"
	default:
		why = "STS refused the request."
		fix = "see the message; `awsenv doctor --json` has the details"
	}
	return found, why, fix
}

func unwrapNetErr(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe
	}
	return err
}
