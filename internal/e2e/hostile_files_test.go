//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runIn runs awsenv in dir with exactly env, giving up after limit.
func (f *fixture) runIn(dir string, env []string, limit time.Duration, args ...string) (stdout, stderr string, code int, took time.Duration) {
	f.t.Helper()
	cmd := exec.Command(filepath.Join(f.bin, "awsenv"), args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	cmd.Wait()
	timer.Stop()
	return out.String(), errb.String(), cmd.ProcessState.ExitCode(), time.Since(start)
}

func without(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Files that are not what they seem: a planted .aws in the working
// folder when HOME is unset, a device or FIFO as the config file, and a
// credential_process that runs awsenv for its own profile.
func TestHostileSharedFiles(t *testing.T) {
	t.Run("HOME unset", func(t *testing.T) {
		f := newFixture(t, baseConfig, baseCredentials, "")
		planted := t.TempDir()
		marker := filepath.Join(planted, "ran")
		os.MkdirAll(filepath.Join(planted, ".aws"), 0o700)
		os.WriteFile(filepath.Join(planted, ".aws", "config"), []byte("[default]\ncredential_process = touch "+marker+"\n"), 0o600)
		_, stderr, _, _ := f.runIn(planted, without(f.env, "HOME"), 10*time.Second, "export", "default")
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("with HOME unset, the credential_process of ./.aws/config ran:\n%s", stderr)
		}
	})
	t.Run("a device as the config file", func(t *testing.T) {
		f := newFixture(t, baseConfig, baseCredentials, "")
		_, stderr, code, took := f.runIn(f.home, f.with("AWS_CONFIG_FILE=/dev/zero"), 10*time.Second, "use", "project1", "--shell", "bash")
		if code == 0 || took > 5*time.Second || !strings.Contains(stderr, "/dev/zero") {
			t.Errorf("AWS_CONFIG_FILE=/dev/zero: exit %d after %v:\n%s", code, took, stderr)
		}
	})
	t.Run("a FIFO as the config file", func(t *testing.T) {
		f := newFixture(t, baseConfig, baseCredentials, "")
		fifo := filepath.Join(t.TempDir(), "config")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _, code, took := f.runIn(f.home, f.with("AWS_CONFIG_FILE="+fifo), 10*time.Second, "__complete-profiles")
		if took > 5*time.Second || code != 0 || out != "" {
			t.Errorf("Tab with a FIFO config: exit %d after %v, %q", code, took, out)
		}
	})
	t.Run("credential_process loop", func(t *testing.T) {
		f := newFixture(t, "[profile loop]\ncredential_process = awsenv export --format process loop\n", "", "")
		_, stderr, code, took := f.runIn(f.home, f.env, 20*time.Second, "export", "loop", "--format", "env")
		if code == 0 || took > 10*time.Second || !strings.Contains(stderr, "credential_process loop") {
			t.Errorf("exit %d after %v:\n%s", code, took, stderr)
		}
	})
}
