package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

const pastedToken = "IQoJb3JpZ2luX2VjEPASTEDSESSIONTOKEN"

// The seed's causes, found without being told where to look.
func TestSeedCauses(t *testing.T) {
	pasted := baseCredentials + "[pasted]\naws_access_key_id = ASIAPASTEDEXAMPLE00\naws_secret_access_key = pastedsecret\naws_session_token = " + pastedToken + "\n"

	t.Run("doctor finds a pasted session in any profile", func(t *testing.T) {
		f := newFixture(t, baseConfig, pasted, testenv.FakeSTS{}.Start(t).URL)
		out, stderr, _ := f.awsenv(f.with("AWS_PROFILE=project1"), "doctor")
		if !strings.Contains(out, `Pasted session in profile "pasted"`) || !strings.Contains(out, "credentials:") {
			t.Errorf("doctor did not find the pasted session:\n%s%s", out, stderr)
		}
		for _, secret := range []string{pastedToken, "pastedsecret", "ASIAPASTEDEXAMPLE00"} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("doctor shows %q", secret)
			}
		}
	})

	t.Run("use warns of a pasted session", func(t *testing.T) {
		f := newFixture(t, baseConfig, pasted, "")
		out, stderr, code := f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), "use", "pasted")
		if code != 0 || !strings.Contains(out, "AWS_SESSION_TOKEN") {
			t.Fatalf("use pasted: exit %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, `warning: profile "pasted" takes a temporary session pasted into`) || !strings.Contains(stderr, "role_arn + source_profile") {
			t.Errorf("no warning about the pasted session:\n%s", stderr)
		}
		if strings.Contains(stderr, pastedToken) {
			t.Error("the warning shows the token")
		}
	})

	t.Run("a skewed clock is named as such", func(t *testing.T) {
		sts := testenv.FakeSTS{Skew: -10 * time.Minute, Error: "SignatureDoesNotMatch",
			Message: "Signature expired: 20261201T090000Z is now earlier than 20261201T091000Z (20261201T092500Z - 15 min.)"}.Start(t).URL
		f := newFixture(t, baseConfig, baseCredentials, sts)
		_, stderr, code := f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), "use", "project1")
		if code == 0 || !strings.Contains(stderr, "clock is more than 5 minutes off") || strings.Contains(stderr, "check the keys") {
			t.Errorf("use with a skewed clock: exit %d\n%s", code, stderr)
		}
	})
}
