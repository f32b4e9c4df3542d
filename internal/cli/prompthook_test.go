package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/session"
)

// The fish hook hands prompt-hook what it remembers of the refreshes and
// keeps what comes back: a failed refresh waits for the backoff.
func TestPromptHookFishBackoff(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIA")
	t.Setenv("AWSENV_PROFILE", "p1")
	t.Setenv("AWSENV_AUTO_REFRESH", "1")
	t.Setenv("AWSENV_REFRESH_BACKOFF", "")
	t.Setenv("AWSENV_REFRESH_BEFORE", "")
	t.Setenv("AWS_SESSION_EXPIRATION", "")
	now := time.Now()
	exp := now.Add(2 * time.Minute).UTC().Format(time.RFC3339)
	t.Setenv("AWS_CREDENTIAL_EXPIRATION", exp)
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errb strings.Builder
		if code := promptHook(append([]string{"fish"}, args...), &out, &errb); code != 0 {
			t.Fatalf("prompt-hook %q: status %d: %s", args, code, errb.String())
		}
		return out.String(), errb.String()
	}
	out, _ := run("1", "1", "", "", "", "", "", "")
	if !strings.HasSuffix(out, "__awsenv_refresh;\n") || !strings.Contains(out, "set -g __awsenv_failures '1';\n") {
		t.Fatalf("first prompt in the window: %q, want a refresh counted as a failure", out)
	}
	retry := now.Unix() + 60
	// The step after the refresh, which left the expiry: the failure is
	// said with the wait.
	_, said := run("f", "1", "", "due "+exp, "1", fmt.Sprint(retry), "0", "0")
	if want := fmt.Sprintf(session.Messages.RetryBefore, "p1", "1m"); strings.TrimSpace(said) != want && strings.TrimSpace(said) != fmt.Sprintf(session.Messages.RetryBefore, "p1", "59s") {
		t.Errorf("after a failed refresh, stderr %q, want %q", said, want)
	}
	// Before the retry: nothing, and the next change is the retry.
	out, said = run("1", "1", "", "due "+exp, "1", fmt.Sprint(retry), "0", "0")
	if strings.Contains(out, "__awsenv_refresh;") || said != "" {
		t.Errorf("before the backoff: %q, %q", out, said)
	}
	// Due: a second attempt.
	out, _ = run("1", "1", "", "due "+exp, "1", fmt.Sprint(now.Unix()-1), "0", "0")
	if !strings.HasSuffix(out, "__awsenv_refresh;\n") || !strings.Contains(out, "set -g __awsenv_failures '2';\n") {
		t.Errorf("after the backoff: %q, want a second attempt", out)
	}
}
