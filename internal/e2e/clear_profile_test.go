package e2e

import (
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/testenv"
)

// evalThen runs awsenv with args in shell sh the way the README says, then
// the next command (in that shell's syntax).
func evalThen(sh, args, next string) string {
	if sh == "fish" {
		return "awsenv " + args + " | source; and " + next
	}
	return `eval "$(awsenv ` + args + `)" && ` + next
}

// use then clear gives the user back the AWS_PROFILE they had: nothing
// they had is lost, and between the two no profile stands beside the keys.
func TestClearRestoresUsersProfile(t *testing.T) {
	f := newFixture(t, baseConfig, baseCredentials, "")
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			script := evalThen(sh, "use static", evalThen(sh, "use static", "env -0 && echo '---' && "+evalThen(sh, "clear", "env -0")))
			out, stderr, code := f.shell(sh, script, "AWS_PROFILE=dev", "AWS_DEFAULT_PROFILE=olddev")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			during, after, _ := strings.Cut(out, "---\n")
			d, a := parseEnv(during), parseEnv(after)
			for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
				if v, ok := d[k]; ok {
					t.Errorf("after use: %s=%q beside the keys", k, v)
				}
			}
			if a["AWS_PROFILE"] != "dev" || a["AWS_DEFAULT_PROFILE"] != "olddev" {
				t.Errorf("after clear: AWS_PROFILE=%q AWS_DEFAULT_PROFILE=%q, want dev and olddev back", a["AWS_PROFILE"], a["AWS_DEFAULT_PROFILE"])
			}
			for k := range a {
				if strings.HasPrefix(k, "AWSENV_") || strings.HasPrefix(k, "AWS_ACCESS") {
					t.Errorf("after clear: %s left", k)
				}
			}
		})
	}
}

// A shell where an older awsenv exported AWS_PROFILE next to the keys: after
// clear, the AWS CLI must not go on answering as the role.
func TestClearRemovesAwsenvsProfile(t *testing.T) {
	testenv.LookPath(t, "aws")
	moto := testenv.StartMoto(t)
	f := newFixture(t, baseConfig, baseCredentials, moto.URL())
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			out, stderr, code := f.shell(sh, evalThen(sh, "clear", "env -0"),
				"AWS_PROFILE=project1", "AWSENV_PROFILE=project1", "AWS_ACCESS_KEY_ID=ASIAOLD", "AWS_SECRET_ACCESS_KEY=old", "AWS_SESSION_TOKEN=old")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			env := parseEnv(out)
			if v, ok := env["AWS_PROFILE"]; ok {
				t.Errorf("after clear: AWS_PROFILE=%q", v)
			}
		})
	}
	out, _, _ := f.shell("bash", evalThen("bash", "clear", "aws sts get-caller-identity --query Arn --output text"),
		"AWS_PROFILE=project1", "AWSENV_PROFILE=project1", "AWS_ACCESS_KEY_ID=ASIAOLD", "AWS_SECRET_ACCESS_KEY=old", "AWS_SESSION_TOKEN=old", "AWS_EC2_METADATA_DISABLED=true")
	if strings.Contains(out, "assumed-role") {
		t.Errorf("after clear the AWS CLI still acts as the role: %s", out)
	}
}
