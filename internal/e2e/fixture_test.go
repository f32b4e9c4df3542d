// Package e2e runs the built awsenv binaries the way users do: in real
// shells, against a real STS emulator (moto_server), next to the real AWS
// CLI.
package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/testenv"
)

// The profiles of the README's quick start, plus the kinds the tests need.
const (
	accessKey = "AKIAIOSFODNN7EXAMPLE"
	secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	roleArn   = "arn:aws:iam::123456789012:role/Prod-Role"

	// hostileSecret holds every character shells treat specially.
	hostileSecret = `it's "quoted" \back\slash\ $HOME $(id) ` + "`id`" + ` sp ace ünï 🔑 ‘’ %{x%};&|<>*?[#`
)

const baseConfig = `[profile project1]
role_arn = ` + roleArn + `
source_profile = user1
region = eu-west-1

[profile static]
region = us-west-2
`

const baseCredentials = `[user1]
aws_access_key_id = ` + accessKey + `
aws_secret_access_key = ` + secretKey + `

[static]
aws_access_key_id = AKIASTATICEXAMPLE000
aws_secret_access_key = ` + hostileSecret + `
`

// fixture is a user: a HOME with AWS files, awsenv on PATH, and an
// environment with nothing of the test runner's AWS state.
type fixture struct {
	t    *testing.T
	home string
	bin  string
	env  []string
}

// newFixture writes config and credentials into a new HOME. stsURL, when
// set, is exported as AWS_ENDPOINT_URL_STS.
func newFixture(t *testing.T, config, credentials, stsURL string) *fixture {
	t.Helper()
	f := &fixture{t: t, home: t.TempDir(), bin: testenv.BuildBinaries(t)}
	testenv.WriteFile(t, filepath.Join(f.home, ".aws", "config"), config, 0o600)
	testenv.WriteFile(t, filepath.Join(f.home, ".aws", "credentials"), credentials, 0o600)
	for _, kv := range testenv.CleanEnv(f.home) {
		if strings.HasPrefix(kv, "PATH=") {
			kv = "PATH=" + f.bin + string(os.PathListSeparator) + kv[len("PATH="):]
		}
		f.env = append(f.env, kv)
	}
	if stsURL != "" {
		f.env = append(f.env, "AWS_ENDPOINT_URL_STS="+stsURL)
	}
	return f
}

// with returns the environment plus extra NAME=value pairs.
func (f *fixture) with(extra ...string) []string {
	return append(append([]string{}, f.env...), extra...)
}

// awsenv runs the binary directly, stdout and stderr apart.
func (f *fixture) awsenv(env []string, args ...string) (stdout, stderr string, code int) {
	f.t.Helper()
	cmd := exec.Command(filepath.Join(f.bin, "awsenv"), args...)
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		f.t.Fatalf("awsenv %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// shell runs script in a real shell with the fixture's environment.
func (f *fixture) shell(name, script string, extraEnv ...string) (stdout, stderr string, code int) {
	f.t.Helper()
	return testenv.RunShell(f.t, testenv.Shell(f.t, name), script, f.with(extraEnv...))
}

// parseEnv reads `env -0` output.
func parseEnv(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[strings.TrimLeft(k, "\n")] = v
		}
	}
	return m
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
