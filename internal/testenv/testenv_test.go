package testenv

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMotoCountsCalls(t *testing.T) {
	t.Parallel()
	aws := LookPath(t, "aws")
	m := StartMoto(t)

	env := append(CleanEnv(t.TempDir()),
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-east-1",
	)
	awsCLI := func(args ...string) {
		t.Helper()
		cmd := exec.Command(aws, append(args, "--endpoint-url", m.URL())...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	if n := m.Calls(t, "AssumeRole"); n != 0 {
		t.Fatalf("AssumeRole calls before any = %d, want 0", n)
	}
	awsCLI("sts", "assume-role",
		"--role-arn", "arn:aws:iam::123456789012:role/r", "--role-session-name", "session")
	awsCLI("sts", "get-caller-identity")
	awsCLI("sts", "get-caller-identity")
	for action, want := range map[string]int{"AssumeRole": 1, "GetCallerIdentity": 2, "GetSessionToken": 0} {
		if n := m.Calls(t, action); n != want {
			t.Errorf("%s calls = %d, want %d", action, n, want)
		}
	}

	m.Reset(t)
	if n := m.Calls(t, "AssumeRole"); n != 0 {
		t.Errorf("AssumeRole calls after Reset = %d, want 0", n)
	}
}

func TestRunShell(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			Shell(t, shell)
			env := append(CleanEnv(t.TempDir()), "GREETING=hello")
			stdout, stderr, code := RunShell(t, shell, `echo $GREETING; env; echo oops >&2; exit 3`, env)
			if code != 3 {
				t.Errorf("exit code = %d, want 3", code)
			}
			if stderr != "oops\n" {
				t.Errorf("stderr = %q, want %q", stderr, "oops\n")
			}
			if !strings.HasPrefix(stdout, "hello\n") {
				t.Errorf("stdout = %q, want it to start with hello", stdout)
			}
			// The developer's own variables must not leak in.
			for _, line := range strings.Split(stdout, "\n") {
				if strings.HasPrefix(line, "GOPATH=") || strings.HasPrefix(line, "AWS_") {
					t.Errorf("inherited variable: %s", line)
				}
			}
		})
	}
}

func TestTmux(t *testing.T) {
	rcs := map[string]string{
		"bash": "set_by_rc=yes",
		"zsh":  "set_by_rc=yes",
		"fish": "set -g set_by_rc yes",
	}
	for shell, rc := range rcs {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			Shell(t, shell)
			tm := StartTmux(t, shell, CleanEnv(t.TempDir()), rc)
			if got := tm.Run("echo hi"); got != "hi" {
				t.Errorf(`Run("echo hi") = %q, want "hi"`, got)
			}
			if got := tm.Run("echo $set_by_rc; echo two"); got != "yes\ntwo" {
				t.Errorf("Run = %q, want %q", got, "yes\ntwo")
			}
			if got := tm.Run("true"); got != "" {
				t.Errorf(`Run("true") = %q, want ""`, got)
			}
			tm.Send("echo a;")
			tm.WaitFor("\na\n", 5*time.Second)
		})
	}
}

func TestCleanEnv(t *testing.T) {
	t.Setenv("AWS_PROFILE", "leak")
	t.Setenv("AWSENV_DEBUG", "1")
	for _, kv := range CleanEnv("/home/x") {
		if strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "AWSENV_") {
			t.Errorf("CleanEnv contains %s", kv)
		}
	}
}

func TestBuildBinaries(t *testing.T) {
	dir := BuildBinaries(t)
	if dir != BuildBinaries(t) {
		t.Error("BuildBinaries built twice")
	}
	if _, err := exec.LookPath(filepath.Join(dir, "awsenv")); err != nil {
		t.Error(err)
	}
}
