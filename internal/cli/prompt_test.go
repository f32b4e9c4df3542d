package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/session"
)

func TestFormatPrompt(t *testing.T) {
	now := time.Now().Unix()
	fresh := session.Snapshot{Name: "p1", Phase: session.PhaseFresh, Left: 2579, Expires: time.Unix(now+2579, 0)}
	soon := session.Snapshot{Name: "50%", Phase: session.PhaseSoon, Left: 300, Expires: time.Unix(now+300, 0)}
	static := session.Snapshot{Name: "p1", Phase: session.PhaseNoExp}
	none := session.Snapshot{Phase: session.PhaseNone}
	for _, tc := range []struct {
		format string
		s      session.Snapshot
		sh     string
		color  bool
		want   string
	}{
		{DefaultPromptFormat, fresh, "", false, "p1 42m"},
		{DefaultPromptFormat, fresh, "", true, "\x1b[32mp1 42m\x1b[0m"},
		{DefaultPromptFormat, fresh, "bash", true, "\x01\x1b[32m\x02p1 42m\x01\x1b[0m\x02"},
		{DefaultPromptFormat, soon, "zsh", true, "%{\x1b[33m%}50%% 5m%{\x1b[0m%}"},
		{DefaultPromptFormat, soon, "bash", false, "50% 5m"},
		{DefaultPromptFormat, static, "", true, "p1"}, // no colour, no trailing space
		{DefaultPromptFormat, none, "", true, ""},
		{"aws:%p(%s) %t %%", fresh, "", false, "aws:p1(ok) 42m %"},
		{"[%p %e]", static, "", false, "[p1]"},
		{"%c%p%r", session.Snapshot{Name: "x", Phase: session.PhaseExpired}, "", true, "\x1b[31mx\x1b[0m"},
		{"%e", fresh, "", false, time.Unix(now+2579, 0).Format("15:04")},
	} {
		got, err := formatPrompt(tc.format, tc.s, tc.sh, tc.color)
		if err != nil || got != tc.want {
			t.Errorf("formatPrompt(%q, %s, %q, %v) = %q, %v; want %q", tc.format, tc.s.Phase, tc.sh, tc.color, got, err, tc.want)
		}
	}
	for _, bad := range []string{"%x", "%", "ok %"} {
		if _, err := formatPrompt(bad, none, "", false); err == nil {
			t.Errorf("formatPrompt(%q) succeeded; want an error even without credentials", bad)
		}
	}
}

func TestPromptHookFish(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIA")
	t.Setenv("AWSENV_PROFILE", "it's")
	t.Setenv("AWSENV_AUTO_REFRESH", "")
	t.Setenv("AWSENV_ON_EXPIRY", "")
	t.Setenv("AWSENV_WARN_BEFORE", "")
	t.Setenv("AWS_SESSION_EXPIRATION", "")
	exp := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	t.Setenv("AWS_CREDENTIAL_EXPIRATION", exp)
	var out, errb strings.Builder
	if code := promptHook([]string{"fish", "1", "0", "", ""}, &out, &errb); code != 0 {
		t.Fatalf("status %d: %s", code, errb.String())
	}
	want := "set -gx AWSENV_PROMPT 'it\\'s expired';\nset -g __awsenv_announced 'expired " + exp + "';\nset -g __awsenv_refresh_tried '';\nset -g __awsenv_next_change '9223372036854775807';\nset -g __awsenv_clock_offset '"
	if !strings.HasPrefix(out.String(), want) {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
	if !strings.Contains(errb.String(), "have expired") {
		t.Errorf("stderr = %q, want the expiry notice", errb.String())
	}

	// Auto-refresh: the statements call the fish function that refreshes.
	out.Reset()
	errb.Reset()
	promptHook([]string{"fish", "1", "1", "", ""}, &out, &errb)
	if !strings.Contains(out.String(), "set -g __awsenv_refresh_tried 'expired "+exp+"';\n") || !strings.HasSuffix(out.String(), "';\n__awsenv_refresh;\n") || errb.Len() != 0 {
		t.Errorf("with auto-refresh: stdout %q, stderr %q", out.String(), errb.String())
	}

	// AWSENV_ON_EXPIRY=clear: the credentials go.
	t.Setenv("AWSENV_ON_EXPIRY", "clear")
	out.Reset()
	promptHook([]string{"fish", "1", "0", "", ""}, &out, &errb)
	if !strings.Contains(out.String(), "set -e AWS_SECRET_ACCESS_KEY;") || !strings.Contains(out.String(), "set -gx AWSENV_PROMPT '';") {
		t.Errorf("with AWSENV_ON_EXPIRY=clear: %q", out.String())
	}

	if code := promptHook([]string{"bash"}, &out, &errb); code != 2 {
		t.Errorf("prompt-hook bash: status %d, want 2", code)
	}
}
