package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// pickConfig has profiles whose names say nothing of their accounts: the
// picker finds them by account ID, role and SSO account name.
const pickConfig = baseConfig + `
[profile alpha]
role_arn = arn:aws:iam::111122223333:role/Deployer
source_profile = user1
region = us-east-1

[profile beta]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = ReadOnly
sso_account_name = Billing Production

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
`

// `awsenv use` without a profile, in a real interactive shell with the
// hook: the picker filters by account ID, Enter switches the shell, Esc
// leaves it as it was; without a terminal the profiles are listed.
func TestUsePicker(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh)
			moto := testenv.StartMoto(t)
			f := newFixture(t, pickConfig, baseCredentials, moto.URL())
			install := `eval "$(awsenv hook ` + sh + `)"`
			if sh == "fish" {
				install = "awsenv hook fish | source"
			}
			tm := testenv.StartTmux(t, sh, f.with("HISTFILE=/dev/null", "fish_history="), install)
			get := func(name string) string { return tm.Run(`echo "[$` + name + `]"`) }

			// Find alpha by a piece of its account ID.
			tm.Send("awsenv use")
			tm.WaitFor("profile>", 10*time.Second)
			tm.Type("22223")
			// Typed, then filtered: wait until beta is gone.
			var screen string
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if screen = tm.Screen(); strings.Contains(screen, "22223") && strings.Contains(screen, "Deployer") && !strings.Contains(screen, "beta") {
					break
				}
			}
			if strings.Contains(screen, "beta") || !strings.Contains(screen, "Deployer") {
				t.Errorf("the filter 22223 kept beta or lost alpha:\n%s", screen)
			}
			tm.Keys("Enter")
			tm.WaitFor("awsenv: alpha → 111122223333 Deployer", 20*time.Second)
			if got := get("AWSENV_PROFILE"); got != "[alpha]" {
				t.Errorf("after picking alpha, AWSENV_PROFILE = %s:\n%s", got, tm.Capture())
			}
			if got := get("AWS_ACCESS_KEY_ID"); !strings.HasPrefix(got, "[ASIA") {
				t.Errorf("after picking alpha, AWS_ACCESS_KEY_ID = %s", got)
			}

			// Esc changes nothing and leaves no list behind.
			tm.Send("clear")
			tm.Send("awsenv use; echo status=" + map[bool]string{true: "$status", false: "$?"}[sh == "fish"])
			tm.WaitFor("profile>", 10*time.Second)
			tm.Type("Billing")
			tm.WaitFor("444455556666", 5*time.Second)
			tm.Keys("Escape")
			screen = tm.WaitFor("status=1", 5*time.Second)
			if strings.Contains(screen, "444455556666") || strings.Contains(screen, "profile>") {
				t.Errorf("the picker left itself on the screen:\n%s", screen)
			}
			if got := get("AWSENV_PROFILE"); got != "[alpha]" {
				t.Errorf("after Esc, AWSENV_PROFILE = %s", got)
			}
		})
	}
	t.Run("no terminal", func(t *testing.T) {
		f := newFixture(t, pickConfig, baseCredentials, "")
		out, stderr, code := f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), "use")
		if code != 2 || out != "" {
			t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
		}
		for _, want := range []string{"no terminal", "alpha", "beta", "project1"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
	})
}
