package shell_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/testenv"
)

// TestHookRefreshRules runs the bash and zsh hooks against a stand-in
// awsenv whose refresh fails, then succeeds, and holds what they remember
// and say to session.Step: the backoff doubles, no attempt before it is
// due, and a success with a window longer than the session caps it and
// says so. The hook's clock is real; the retry time is moved instead of
// waiting for it.
func TestHookRefreshRules(t *testing.T) {
	for _, sh := range []string{"bash", "zsh"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh)
			dir := t.TempDir()
			bin, calls := filepath.Join(dir, "awsenv"), filepath.Join(dir, "calls")
			testenv.WriteFile(t, bin, `#!/bin/sh
echo "$*" >>`+shell.QuotePOSIX(calls)+`
if [ -n "$NEW_EXPIRY" ]; then
  printf "export AWS_CREDENTIAL_EXPIRATION='%s';\n" "$NEW_EXPIRY"
  exit 0
fi
echo 'awsenv: no' >&2
exit 1
`, 0o755)
			script, err := hook(sh, shell.HookOptions{Path: bin})
			if err != nil {
				t.Fatal(err)
			}
			hookFile := filepath.Join(dir, "hook")
			testenv.WriteFile(t, hookFile, script, 0o644)
			at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
			run := fmt.Sprintf(`. %s
show() { echo "$1 failures=${_awsenv_failures:-} retry=$(( ${_awsenv_retry_at:-0} - $(date +%%s) )) session=${_awsenv_session:-} capped=${_awsenv_capped:-}"; }
export AWS_ACCESS_KEY_ID=ASIA AWSENV_PROFILE=p1 AWSENV_AUTO_REFRESH=1 AWS_CREDENTIAL_EXPIRATION=%s
_awsenv_hook; show first
_awsenv_update 1; show again
_awsenv_retry_at=1; _awsenv_update 1; show due
export NEW_EXPIRY=%s AWSENV_REFRESH_BEFORE=2h
_awsenv_retry_at=1; _awsenv_update 1; show success
_awsenv_update 1; show after`, hookFile, at(200*time.Second), at(time.Hour))
			stdout, stderr, code := testenv.RunShell(t, sh, run, testenv.CleanEnv(dir))
			if code != 0 {
				t.Fatalf("status %d:\n%s\n%s", code, stdout, stderr)
			}
			want := regexp.MustCompile(`^first failures=1 retry=(59|60) session=0 capped=0
again failures=1 retry=(59|60) session=0 capped=0
due failures=2 retry=(11[89]|120) session=0 capped=0
success failures=0 retry=-\d+ session=(3599|3600) capped=7200
after failures=0 retry=-\d+ session=(3599|3600) capped=7200
$`)
			if !want.MatchString(stdout) {
				t.Errorf("%s: the hook remembers:\n%s\nwant:\n%s", sh, stdout, want)
			}
			// What it says, with the figures of the moment.
			wantErr := regexp.MustCompile("^" + strings.Join([]string{
				"awsenv: no",
				regexp.QuoteMeta(fmt.Sprintf(session.Messages.RetryBefore, "p1", "@")),
				"awsenv: no",
				regexp.QuoteMeta(fmt.Sprintf(session.Messages.RetryBefore, "p1", "@")),
				regexp.QuoteMeta(fmt.Sprintf(session.Messages.Capped, "2h00m", "p1", "@", "@")),
			}, "\n") + "\n$")
			wantErr = regexp.MustCompile(strings.ReplaceAll(wantErr.String(), "@", `(59s|1m|1m59s|2m|59m|1h00m|29m|30m)`))
			if !wantErr.MatchString(stderr) {
				t.Errorf("%s: stderr:\n%s\nwant:\n%s", sh, stderr, wantErr)
			}
			data, err := os.ReadFile(calls)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(data), "refresh --no-prompt --deadline 5s\n"); n != 3 {
				t.Errorf("%s: %d refreshes, want 3:\n%s", sh, n, data)
			}
		})
	}
}

// The backoff and the tools come from the rules too.
func TestHookRulesRefresh(t *testing.T) {
	r := session.HookRules()
	r.Backoff, r.MaxBackoff = 7*time.Second, 77*time.Second
	r.Tools = append(r.Tools, shell.HookTool{Var: "X_TOOL", Name: "x's tool"})
	r.OtherTool = "someone"
	for _, tc := range []struct{ shell, backoff, most, tool, other string }{
		{"bash", `_awsenv_window "${AWSENV_REFRESH_BACKOFF-}" 7` + "\n", "_awsenv_wait < 77))", `elif [[ -n ${X_TOOL-} ]]; then _awsenv_tool='x'\''s tool'; fi`, "_awsenv_tool='someone';"},
		{"zsh", `_awsenv_window "${AWSENV_REFRESH_BACKOFF-}" 7` + "\n", "_awsenv_wait < 77 ))", `elif [[ -n ${X_TOOL-} ]]; then _awsenv_tool='x'\''s tool'; fi`, "_awsenv_tool='someone';"},
		{"pwsh", `$Env:AWSENV_REFRESH_BACKOFF) 7)`, "$wait -lt 77;", `@('X_TOOL', 'x''s tool')`, "return 'someone'"},
	} {
		s, err := shell.Hook(tc.shell, shell.HookOptions{Path: "/x/awsenv", Rules: r})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.backoff, tc.most, tc.tool, tc.other} {
			if !strings.Contains(s, want) {
				t.Errorf("%s hook lacks %q", tc.shell, want)
			}
		}
	}
	r.Tools = append(r.Tools, shell.HookTool{Var: "NOT A NAME", Name: "x"})
	if _, err := shell.Hook("bash", shell.HookOptions{Path: "/x", Rules: r}); err == nil {
		t.Error("a tool variable that is not a name was accepted")
	}
}
