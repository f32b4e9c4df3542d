package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// The real clients: programs of every kind that use what awsenv hands out.
// Each must act as the role with awsenv's session, whichever way it gets
// it, and must make no AssumeRole call of its own: a client that did
// would be resolving the profile itself (as the JavaScript SDK does when
// it sees AWS_PROFILE), and would fail for an MFA profile.

// awsenvSession is the ARN of a session awsenv started (its session names
// are awsenv-<nanoseconds>); an SDK's own would be botocore-session-...,
// aws-sdk-js-..., and so on.
var awsenvSession = regexp.MustCompile(`arn:aws:sts::123456789012:assumed-role/Prod-Role/awsenv-[0-9]+`)

// clientConfig adds the profiles the clients need: one whose credentials
// come from awsenv as a credential_process, and a role that needs MFA.
const clientConfig = baseConfig + `
[profile viaproc]
credential_process = awsenv export --format process project1
region = eu-west-1

[profile mfa]
role_arn = ` + roleArn + `
source_profile = user1
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1

[profile viaproc-mfa]
credential_process = awsenv export --format process mfa
region = eu-west-1
`

// client is one program that prints the ARN of sts get-caller-identity.
type client struct {
	argv []string
	env  []string // beside the fixture's, e.g. NODE_PATH
}

// clientEnv keeps the clients quick to fail: with no credentials they
// would otherwise wait for the EC2 instance metadata service.
var clientEnv = []string{"AWS_EC2_METADATA_DISABLED=true"}

// checkClient runs c in each of the four ways awsenv hands credentials to a
// program, for profile (and its credential_process twin), each time
// checking the identity and that the client made no AssumeRole call.
// awsenvArgs go to awsenv (e.g. --mfa-token).
func checkClient(t *testing.T, c client, profile, procProfile string, awsenvArgs ...string) {
	moto := testenv.StartMoto(t)
	f := newFixture(t, clientConfig, baseCredentials, moto.URL())
	env := func(extra ...string) []string {
		return f.with(append(append(append([]string{}, clientEnv...), c.env...), extra...)...)
	}
	// With awsenv's cache warm, awsenv itself makes no call either: every
	// AssumeRole counted below would be the client's.
	prime := append([]string{"export", "--format", "process", profile}, awsenvArgs...)
	if _, stderr, code := f.awsenv(env(), prime...); code != 0 {
		t.Fatalf("awsenv %s: exit %d: %s", strings.Join(prime, " "), code, stderr)
	}
	execArgs := append(append([]string{"exec"}, awsenvArgs...), profile, "--")
	serverArgs := append(append([]string{"exec", "--server"}, awsenvArgs...), profile, "--")
	modes := []struct {
		name string
		run  func() (string, string, int)
	}{
		{"use", func() (string, string, int) {
			script := `eval "$(awsenv use ` + profile + " " + strings.Join(awsenvArgs, " ") + `)" && ` + shellQuote(c.argv)
			return testenv.RunShell(t, testenv.Shell(t, "bash"), script, env(stale...))
		}},
		{"exec", func() (string, string, int) {
			return runClient(t, f, env(stale...), append(append([]string{filepath.Join(f.bin, "awsenv")}, execArgs...), c.argv...))
		}},
		{"exec --server", func() (string, string, int) {
			return runClient(t, f, env(stale...), append(append([]string{filepath.Join(f.bin, "awsenv")}, serverArgs...), c.argv...))
		}},
		{"credential_process", func() (string, string, int) {
			return runClient(t, f, env("AWS_PROFILE="+procProfile), c.argv)
		}},
	}
	for _, m := range modes {
		t.Run(strings.ReplaceAll(m.name, " ", "_"), func(t *testing.T) {
			before := moto.Calls(t, "AssumeRole")
			out, stderr, code := m.run()
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
			}
			if !awsenvSession.MatchString(out) {
				t.Errorf("the client ran as %q, want awsenv's session of Prod-Role\nstderr: %s", strings.TrimSpace(out), stderr)
			}
			if n := moto.Calls(t, "AssumeRole") - before; n != 0 {
				t.Errorf("the client made %d AssumeRole calls of its own, want none\nstderr: %s", n, stderr)
			}
			if strings.Contains(stderr, "Multiple credential sources") {
				t.Errorf("the client saw two sources of credentials:\n%s", stderr)
			}
		})
	}
}

// runClient runs argv with env, giving it 90 seconds.
func runClient(t *testing.T, f *fixture, env, argv []string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Dir = f.home
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: timed out\n%s", argv, errb.String())
	}
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// shellQuote quotes argv for sh.
func shellQuote(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// requirePython skips (fails under CI) unless python3 can import module.
func requirePython(t *testing.T, module string) string {
	t.Helper()
	py := testenv.LookPath(t, "python3")
	if out, err := exec.Command(py, "-c", "import "+module).CombinedOutput(); err != nil {
		testenv.Require(t, "python module "+module, strings.TrimSpace(string(out)))
	}
	return py
}

func TestClientAWSCLI(t *testing.T) {
	testenv.LookPath(t, "aws")
	checkClient(t, client{argv: []string{"aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text"}}, "project1", "viaproc")
}

func TestClientBoto3(t *testing.T) {
	py := requirePython(t, "boto3")
	checkClient(t, client{argv: []string{py, "-c", `import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])`}}, "project1", "viaproc")
}

// jsClient uses the default credential chain of the SDK for JavaScript v3,
// as an application does.
const jsClient = `const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");
new STSClient({}).send(new GetCallerIdentityCommand({}))
  .then((id) => console.log(id.Arn))
  .catch((e) => { console.error(String(e)); process.exit(1); });`

func jsSDK(t *testing.T) client {
	dir := testenv.NodeModules(t)
	return client{argv: []string{"node", "-e", jsClient}, env: []string{"NODE_PATH=" + filepath.Join(dir, "node_modules")}}
}

func TestClientJavaScriptSDK(t *testing.T) {
	checkClient(t, jsSDK(t), "project1", "viaproc")
}

// With AWS_PROFILE naming an MFA role, the JavaScript SDK would need a code
// of its own, and has no way to ask for one: it must get the keys.
func TestClientJavaScriptSDKMFA(t *testing.T) {
	checkClient(t, jsSDK(t), "mfa", "viaproc-mfa", "--mfa-token", "123456")
}

func TestClientGoSDK(t *testing.T) {
	checkClient(t, client{argv: []string{testenv.GoSTSClient(t)}}, "project1", "viaproc")
}

// terraformConfig reads the caller identity through the AWS provider.
const terraformConfig = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  skip_metadata_api_check = true
}
data "aws_caller_identity" "me" {}
output "arn" { value = data.aws_caller_identity.me.arn }
`

func TestClientTerraform(t *testing.T) {
	plugins := testenv.TerraformPluginDir(t)
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "main.tf"), terraformConfig, 0o644)
	tfEnv := []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	// Once, from the local mirror only: no registry.
	init := exec.Command("terraform", "-chdir="+dir, "init", "-input=false", "-no-color", "-plugin-dir="+plugins)
	init.Env = append(testenv.CleanEnv(t.TempDir()), tfEnv...)
	if out, err := init.CombinedOutput(); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	script := `terraform -chdir="$1" apply -auto-approve -input=false -no-color -lock=false >&2 && terraform -chdir="$1" output -raw arn`
	checkClient(t, client{argv: []string{"sh", "-c", script, "sh", dir}, env: tfEnv}, "project1", "viaproc")
}
