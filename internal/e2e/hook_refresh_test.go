package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// refreshShells are the shells whose hooks auto-refresh, installed with
// --auto-refresh.
var refreshShells = []struct{ name, install, set string }{
	{"bash", `eval "$(awsenv hook bash --auto-refresh)"`, `export %s='%s'`},
	{"zsh", `eval "$(awsenv hook zsh --auto-refresh)"`, `export %s='%s'`},
	{"fish", `awsenv hook fish --auto-refresh | source`, `set -gx %s '%s'`},
}

// screenCount counts the lines on the screen that match re, with zsh's
// padding removed.
func screenCount(tm *testenv.Tmux, re *regexp.Regexp) int {
	var screen []string
	for _, line := range strings.Split(tm.Capture(), "\n") {
		screen = append(screen, strings.TrimRight(line, " "))
	}
	return len(re.FindAllString(strings.Join(screen, "\n"), -1))
}

// waitCount waits until n lines on the screen match re.
func waitCount(t *testing.T, tm *testenv.Tmux, re *regexp.Regexp, n int, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); screenCount(tm, re) < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %d lines like %s:\n%s", timeout, n, re, tm.Capture())
		}
	}
}

// The storm of the issue: AWSENV_REFRESH_BEFORE=2h with one-hour
// credentials made one AssumeRole per Enter. Now the first prompt inside
// the window refreshes, the window is capped to half the session (said
// once), and Enter five times makes that one call. Then a refresh that
// fails is tried again after AWSENV_REFRESH_BACKOFF, doubled, and says so.
func TestHookRefreshCappedAndBackoff(t *testing.T) {
	for _, sh := range refreshShells {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			moto := testenv.StartMoto(t)
			f := newFixture(t, hookConfig, baseCredentials, moto.URL())
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), sh.install)
			set := func(name, value string) { t.Helper(); tm.Run(fmt.Sprintf(sh.set, name, value)) }
			tm.Run("awsenv use --quiet project1")
			key := tm.Run(`echo "[$AWS_ACCESS_KEY_ID]"`)
			// A refresh right after use takes what use just cached (the
			// sixteen panes rule); the storm was of new sessions.
			time.Sleep(5500 * time.Millisecond)
			calls := moto.Calls(t, "AssumeRole")
			set("AWSENV_REFRESH_BEFORE", "2h")
			for i := 0; i < 5; i++ {
				tm.Run("true")
			}
			if n := moto.Calls(t, "AssumeRole") - calls; n != 1 {
				t.Errorf("5 prompts with AWSENV_REFRESH_BEFORE=2h and one-hour credentials made %d AssumeRole calls, want 1:\n%s", n, tm.Capture())
			}
			capped := regexp.MustCompile(`awsenv: AWSENV_REFRESH_BEFORE \(2h00m\) is not shorter than the sessions of profile project1 \((59m|1h00m)\): refreshing them when (29m|30m) is left instead\n`)
			if n := screenCount(tm, capped); n != 1 {
				t.Errorf("the cap was said %d times, want once:\n%s", n, tm.Capture())
			}
			if got := tm.Run(`echo "[$AWS_ACCESS_KEY_ID]"`); got == key {
				t.Errorf("the refresh left AWS_ACCESS_KEY_ID at %s", got)
			}

			// A refresh that fails (an MFA code, and no terminal to ask on)
			// is tried again after the backoff, 2s then 4s.
			set("AWSENV_REFRESH_BACKOFF", "2s")
			set("AWSENV_PROFILE", "needsmfa")
			set("AWS_CREDENTIAL_EXPIRATION", time.Now().Add(3*time.Minute).UTC().Format(time.RFC3339))
			failed := regexp.MustCompile(`awsenv: profile "needsmfa" needs a code from MFA device [^\n]* \(--no-prompt\)[^\n]*; the credentials in this shell are unchanged\n`)
			retry := func(wait string) *regexp.Regexp {
				return regexp.MustCompile(`awsenv: auto-refresh of profile needsmfa failed: trying again in ` + wait + `, and when the credentials expire\n`)
			}
			waitCount(t, tm, failed, 1, 10*time.Second)
			waitCount(t, tm, retry("[12]s"), 1, 10*time.Second)
			time.Sleep(2500 * time.Millisecond)
			tm.Run("true")
			waitCount(t, tm, failed, 2, 10*time.Second)
			waitCount(t, tm, retry("[34]s"), 1, 10*time.Second)
			tm.Run("true")
			if n := screenCount(tm, failed); n != 2 {
				t.Errorf("the failing refresh ran %d times, want 2 (no retry before the backoff):\n%s", n, tm.Capture())
			}
		})
	}
}

// A refresh against an STS that never answers says after a second that it
// is refreshing and that Ctrl-C gives up; it gives up by itself after
// AWSENV_REFRESH_TIMEOUT, and Ctrl-C gives up at once. Either way the
// prompt comes back and the credentials stay as they were.
func TestHookRefreshSlow(t *testing.T) {
	silent := silentSTS(t)
	for _, sh := range refreshShells {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			f := newFixture(t, hookConfig, baseCredentials, silent)
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), sh.install)
			set := func(name, value string) { t.Helper(); tm.Run(fmt.Sprintf(sh.set, name, value)) }
			for _, kv := range [][2]string{{"AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE00"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_SESSION_TOKEN", "token"}, {"AWSENV_PROFILE", "project1"}, {"AWSENV_REFRESH_TIMEOUT", "3s"}} {
				set(kv[0], kv[1])
			}
			slow := regexp.MustCompile(`awsenv: refreshing profile project1… \(Ctrl-C gives up\)\n`)
			start := time.Now()
			set("AWS_CREDENTIAL_EXPIRATION", time.Now().Add(2*time.Minute).UTC().Format(time.RFC3339))
			tm.Run("true")
			if d := time.Since(start); d < 2*time.Second || d > 7*time.Second {
				t.Errorf("with AWSENV_REFRESH_TIMEOUT=3s and a silent STS the prompt took %v, want about 3s", d)
			}
			if n := screenCount(tm, slow); n != 1 {
				t.Errorf("the slow refresh was announced %d times, want once:\n%s", n, tm.Capture())
			}
			if got := tm.Run(`echo "[$AWS_ACCESS_KEY_ID]"`); got != "[ASIAEXAMPLEEXAMPLE00]" {
				t.Errorf("after a refresh that timed out, AWS_ACCESS_KEY_ID = %s", got)
			}

			// Ctrl-C, with a timeout far off.
			set("AWSENV_REFRESH_TIMEOUT", "60s")
			tm.Send(fmt.Sprintf(sh.set, "AWS_CREDENTIAL_EXPIRATION", time.Now().Add(2*time.Minute+time.Second).UTC().Format(time.RFC3339)))
			waitCount(t, tm, slow, 2, 10*time.Second)
			start = time.Now()
			tm.Keys("C-c")
			if got := tm.Run(`echo "[$AWS_ACCESS_KEY_ID]"`); got != "[ASIAEXAMPLEEXAMPLE00]" {
				t.Errorf("after Ctrl-C, AWS_ACCESS_KEY_ID = %s", got)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the prompt came back %v after Ctrl-C", d)
			}
			// Given up is failed: no new attempt before the backoff.
			start = time.Now()
			tm.Run("true")
			tm.Run("true")
			if d := time.Since(start); d > 3*time.Second || screenCount(tm, slow) != 2 {
				t.Errorf("after Ctrl-C the next prompts took %v and the refresh was announced %d times, want 2:\n%s", d, screenCount(tm, slow), tm.Capture())
			}
		})
	}
}

// Credentials another tool set are named by it, not as "profile aws".
func TestHookForeignTool(t *testing.T) {
	for _, sh := range refreshShells {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			f := newFixture(t, hookConfig, baseCredentials, "")
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), sh.install)
			set := func(name, value string) { t.Helper(); tm.Run(fmt.Sprintf(sh.set, name, value)) }
			// What `aws-vault exec prod` leaves in a shell.
			for _, kv := range [][2]string{{"AWS_VAULT", "prod"}, {"AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE00"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_SESSION_TOKEN", "token"}} {
				set(kv[0], kv[1])
			}
			set("AWS_CREDENTIAL_EXPIRATION", time.Now().Add(8*time.Minute+30*time.Second).UTC().Format(time.RFC3339))
			if got := tm.Run(`echo "[$AWSENV_PROMPT]"`); got != "[prod 8m]" {
				t.Errorf("AWSENV_PROMPT = %s, want [prod 8m]", got)
			}
			set("AWS_CREDENTIAL_EXPIRATION", time.Now().Add(-time.Minute).UTC().Format(time.RFC3339))
			tm.Run("true")
			for _, msg := range []string{
				"awsenv: the credentials aws-vault set in this shell expire in 8m: renew them with it, or run `awsenv use PROFILE`\n",
				"awsenv: the credentials aws-vault set in this shell have expired: renew them with it, or run `awsenv use PROFILE`\n",
			} {
				if n := screenCount(tm, regexp.MustCompile(regexp.QuoteMeta(msg))); n != 1 {
					t.Errorf("%q said %d times, want once:\n%s", msg, n, tm.Capture())
				}
			}
			if strings.Contains(tm.Capture(), "profile aws") {
				t.Errorf("the hook named \"profile aws\":\n%s", tm.Capture())
			}
		})
	}
}
