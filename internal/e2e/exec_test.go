//go:build unix

package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// callerArn parses `aws sts get-caller-identity --output json`.
func callerArn(t *testing.T, out string) string {
	t.Helper()
	var id struct{ Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("aws sts get-caller-identity printed %q: %v", out, err)
	}
	return id.Arn
}

func TestExecRunsAWSCLIAsRole(t *testing.T) {
	testenv.LookPath(t, "aws")
	moto := testenv.StartMoto(t)
	f := newFixture(t, baseConfig, baseCredentials, moto.URL())
	env := f.with(append(stale, "AWS_REGION=us-east-2", "AWS_ROLE_ARN=arn:aws:iam::1:role/x")...)

	out, stderr, code := f.awsenv(env, "exec", "project1", "--", "aws", "sts", "get-caller-identity", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if arn := callerArn(t, out); !strings.Contains(arn, ":assumed-role/Prod-Role/") {
		t.Errorf("the command ran as %s, want the role Prod-Role", arn)
	}

	out, stderr, code = f.awsenv(env, "exec", "project1", "--", "env", "-0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := parseEnv(out)
	if k := got["AWS_ACCESS_KEY_ID"]; !strings.HasPrefix(k, "ASIA") || k == "ASIASTALESTALESTALE0" {
		t.Errorf("AWS_ACCESS_KEY_ID = %q, want fresh temporary keys", k)
	}
	for k, want := range map[string]string{
		"AWS_REGION":         "eu-west-1", // the profile's beats the shell's
		"AWS_DEFAULT_REGION": "eu-west-1",
		"AWSENV_PROFILE":     "project1",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	// A profile beside the keys would make the JavaScript SDK resolve it
	// itself instead of using them.
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s set to %q", k, v)
		}
	}
	if got["AWS_ENDPOINT_URL_STS"] != moto.URL() {
		t.Errorf("AWS_ENDPOINT_URL_STS = %q: unrelated variables must pass through", got["AWS_ENDPOINT_URL_STS"])
	}
}

func TestExecPassesStdio(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig, baseCredentials, "")
	for _, server := range []bool{false, true} {
		args := []string{"exec", "static", "--", "sh", "-c", "tr a-z A-Z; echo err >&2"}
		if server {
			args = append([]string{"exec", "--server"}, args[1:]...)
		}
		cmd := exec.Command(filepath.Join(f.bin, "awsenv"), args...)
		cmd.Env = f.env
		cmd.Stdin = strings.NewReader("hello\n")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || string(out) != "HELLO\n" || stderr.String() != "err\n" {
			t.Errorf("server=%v: stdout %q, stderr %q, %v", server, out, stderr.String(), err)
		}
	}
}

func TestExecExitStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig, baseCredentials, "")
	for _, tc := range []struct {
		name   string
		args   []string
		want   int
		signal syscall.Signal // the wait status awsenv itself ends with
	}{
		{"status", []string{"static", "--", "sh", "-c", "exit 7"}, 7, 0},
		{"success", []string{"static", "--", "true"}, 0, 0},
		{"without --", []string{"static", "sh", "-c", "exit 3"}, 3, 0},
		{"server status", []string{"--server", "static", "--", "sh", "-c", "exit 7"}, 7, 0},
		// With exec, the shell sees the command's own death by signal.
		{"killed", []string{"static", "--", "sh", "-c", "kill -TERM $$"}, -1, syscall.SIGTERM},
		// As a parent, awsenv reports it the way shells do.
		{"server killed", []string{"--server", "static", "--", "sh", "-c", "kill -TERM $$"}, 128 + 15, 0},
		{"not found", []string{"static", "--", "no-such-command-awsenv"}, 127, 0},
		{"no command", []string{"static", "--"}, 2, 0},
		{"unknown profile", []string{"nope", "--", "true"}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(filepath.Join(f.bin, "awsenv"), append([]string{"exec"}, tc.args...)...)
			cmd.Env = f.env
			out, _ := cmd.CombinedOutput()
			ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if tc.signal != 0 {
				if !ws.Signaled() || ws.Signal() != tc.signal {
					t.Errorf("wait status %v, want killed by %v; output %q", ws, tc.signal, out)
				}
				return
			}
			if ws.ExitStatus() != tc.want {
				t.Errorf("exit %d, want %d; output %q", ws.ExitStatus(), tc.want, out)
			}
		})
	}
}

// startExec starts awsenv exec with args in its own session, so that
// there is no terminal to share signals with, and returns it once the
// command has printed its first line, with that line.
func startExec(t *testing.T, f *fixture, env []string, args ...string) (*exec.Cmd, *bufio.Reader, io.WriteCloser, string, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(filepath.Join(f.bin, "awsenv"), args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := new(strings.Builder) // read it only after Wait
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("awsenv stderr:\n%s", stderr.String())
		}
	})
	out := bufio.NewReader(pipe)
	lines := make(chan string, 1)
	go func() {
		line, _ := out.ReadString('\n')
		lines <- strings.TrimSuffix(line, "\n")
	}()
	select {
	case line := <-lines:
		return cmd, out, stdin, line, stderr
	case <-time.After(30 * time.Second):
		t.Fatalf("awsenv %v: no output after 30s; stderr %s", args, stderr.String())
	}
	return nil, nil, nil, "", nil
}

func TestExecForwardsSignals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig, baseCredentials, "")
	// The command exits with a status of its own on the signal, so that
	// its exit proves it received it.
	script := `trap 'echo got-$1; exit 42' $1; echo ready; while :; do sleep 0.05; done`
	for _, server := range []bool{false, true} {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
			name := fmt.Sprintf("server=%v/%s", server, strings.TrimPrefix(sigName(sig), "SIG"))
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				args := []string{"exec", "static", "--", "sh", "-c", script, "sh", strings.TrimPrefix(sigName(sig), "SIG")}
				if server {
					args = append([]string{"exec", "--server"}, args[1:]...)
				}
				cmd, out, _, first, _ := startExec(t, f, f.env, args...)
				if first != "ready" {
					t.Fatalf("first line %q", first)
				}
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				rest, _ := io.ReadAll(out)
				cmd.Wait()
				if code := cmd.ProcessState.ExitCode(); code != 42 || !strings.Contains(string(rest), "got-") {
					t.Errorf("after %v: exit %d, output %q; want the command's trap to run and exit 42", sig, code, rest)
				}
			})
		}
	}
}

func sigName(s syscall.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// serverCreds fetches the endpoint as an SDK does.
func serverCreds(t *testing.T, uri, token string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, uri, nil)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]string
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, m
}

// defaultKeys are what a [default] profile in the credentials file holds:
// the command must not run as this user.
const defaultKeys = `[default]
aws_access_key_id = AKIADEFAULTEXAMPLE00
aws_secret_access_key = default-secret
`

func TestExecServer(t *testing.T) {
	testenv.LookPath(t, "aws")
	moto := testenv.StartMoto(t)
	f := newFixture(t, baseConfig, baseCredentials+defaultKeys, moto.URL())
	// A 15-minute session (the least STS grants) cannot be renewed 14m57s
	// before it expires: that would be a renewal every 3 seconds. The
	// server renews at half-time and says so. (That renewals happen and are
	// served: the credserver package's tests, with sessions of seconds.)
	env := f.with(append(stale, "AWSENV_SERVER_REFRESH_BEFORE=14m57s")...)
	script := `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"
env -0 > "$1/env"
aws sts get-caller-identity --output json > "$1/id1" || exit 1
echo checked
read line
aws sts get-caller-identity --output json > "$1/id2" || exit 2
`
	dir := t.TempDir()
	cmd, out, stdin, first, stderr := startExec(t, f, env, "exec", "--server", "--duration", "15m", "project1", "--", "sh", "-c", script, "sh", dir)
	uri, token, _ := strings.Cut(first, " ")

	// The endpoint listens on the loopback interface only.
	u, err := url.Parse(uri)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Scheme != "http" {
		t.Fatalf("AWS_CONTAINER_CREDENTIALS_FULL_URI = %q, want http://127.0.0.1:PORT/", uri)
	}
	if addr := nonLoopbackAddr(); addr != "" {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(addr, u.Port()), time.Second); err == nil {
			c.Close()
			t.Errorf("the endpoint answers on %s too", addr)
		}
	}
	// Without the token, or with another, no credentials.
	if code, _ := serverCreds(t, uri, ""); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("without the token: %d, want 401 or 403", code)
	}
	if code, _ := serverCreds(t, uri, token+"x"); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("with a wrong token: %d, want 401 or 403", code)
	}
	code, served := serverCreds(t, uri, token)
	if code != http.StatusOK || !strings.HasPrefix(served["AccessKeyId"], "ASIA") || served["SecretAccessKey"] == "" || served["Token"] == "" {
		t.Fatalf("with the token: %d %v", code, keysOf(served))
	}
	exp, err := time.Parse(time.RFC3339, served["Expiration"])
	if err != nil || time.Until(exp) > 15*time.Minute || time.Until(exp) < 14*time.Minute {
		t.Errorf("Expiration = %q: want 15 minutes from now", served["Expiration"])
	}

	if line, _ := out.ReadString('\n'); line != "checked\n" {
		t.Fatalf("the command's first aws call failed: %q", line)
	}
	childEnv := parseEnv(readFile(t, filepath.Join(dir, "env")))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		if v, ok := childEnv[k]; ok {
			t.Errorf("%s = %q beside the endpoint", k, v)
		}
	}
	if childEnv["AWS_REGION"] != "eu-west-1" || childEnv["AWSENV_PROFILE"] != "project1" {
		t.Errorf("AWS_REGION = %q, AWSENV_PROFILE = %q", childEnv["AWS_REGION"], childEnv["AWSENV_PROFILE"])
	}
	if arn := callerArn(t, readFile(t, filepath.Join(dir, "id1"))); !strings.Contains(arn, ":assumed-role/Prod-Role/") {
		t.Errorf("the command ran as %s, want the role (not [default]'s user)", arn)
	}

	// The command still works, and its end is the server's.
	stdin.Write([]byte("go\n"))
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("awsenv exec --server: %v", err)
	}
	if n := strings.Count(stderr.String(), "7m30s before they expire, not 14m57s (AWSENV_SERVER_REFRESH_BEFORE): at most half of the 15m0s they were valid for when fetched"); n != 1 {
		t.Errorf("stderr tells %d times that the margin is capped, want once:\n%s", n, stderr.String())
	}
	if n := moto.Calls(t, "AssumeRole"); n != 1 {
		t.Errorf("AssumeRole calls = %d, want 1: no renewal before half-time", n)
	}
	if n := strings.Count(stderr.String(), "AWS_SHARED_CREDENTIALS_FILE="); n != 1 {
		t.Errorf("stderr tells %d times that [default]'s keys are hidden, want once:\n%s", n, stderr.String())
	}
	if arn := callerArn(t, readFile(t, filepath.Join(dir, "id2"))); !strings.Contains(arn, ":assumed-role/Prod-Role/") {
		t.Errorf("the second time the command ran as %s", arn)
	}
	client := &http.Client{Timeout: time.Second}
	if resp, err := client.Get(uri); err == nil {
		resp.Body.Close()
		t.Error("the endpoint still answers after the command exited")
	}
}

func TestExecServerRefusesConfigDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig+"\n[default]\nrole_arn = arn:aws:iam::123456789012:role/Other\nsource_profile = user1\n", baseCredentials, "")
	_, stderr, code := f.awsenv(f.env, "exec", "--server", "static", "--", "true")
	if code != 1 || !strings.Contains(stderr, `profile "default" sets role_arn at `) || !strings.Contains(stderr, "without --server") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return string(b)
}

// nonLoopbackAddr returns an IPv4 address of this machine that is not
// loopback, or "".
func nonLoopbackAddr() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return ""
}

// TestExecCtrlC presses Ctrl-C in a terminal while `exec --server` runs a
// command: the command gets the SIGINT, and awsenv, which the terminal
// signals too, waits for it and returns its status. (That awsenv does not
// add a second SIGINT cannot be seen from here: the kernel merges a signal
// that arrives while the same one is pending.)
func TestExecCtrlC(t *testing.T) {
	t.Parallel()
	f := newFixture(t, baseConfig, baseCredentials, "")
	tm := testenv.StartTmux(t, "bash", f.env, "")
	tm.Send(`awsenv exec --server static -- sh -c 'trap "echo GOT""INT; exit 42" INT; echo READY; while :; do sleep 0.05; done'; echo "STA""TUS=$?"`)
	tm.WaitFor("\nREADY", 10*time.Second)
	tm.Send("\x03")
	screen := tm.WaitFor("STATUS=", 10*time.Second)
	if !strings.Contains(screen, "GOTINT") || !strings.Contains(screen, "STATUS=42") {
		t.Errorf("want the command's trap to run and awsenv to exit 42:\n%s", screen)
	}
}
