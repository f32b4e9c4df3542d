package resolve

import (
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/creds"
)

// The prompt hook's refresh passes NoPrompt: an MFA profile must fail at
// once, naming what to do, instead of asking on the terminal.
func TestMFACodeNoPrompt(t *testing.T) {
	r := &Resolver{req: creds.Request{NoPrompt: true}}
	_, err := r.mfaCode("p1", "arn:aws:iam::123456789012:mfa/me")
	if err == nil || !strings.Contains(err.Error(), "--no-prompt") || !strings.Contains(err.Error(), "awsenv use p1") {
		t.Errorf("mfaCode with NoPrompt: %v", err)
	}
	r.req.MFAToken = "123456"
	if code, err := r.mfaCode("p1", "arn"); code != "123456" || err != nil {
		t.Errorf("mfaCode with a token and NoPrompt = %q, %v; want the token", code, err)
	}
}
