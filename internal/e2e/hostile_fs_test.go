package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// mountTmpfs mounts a small tmpfs on dir for the test: a disk that can be
// filled, or made read-only, without touching the machine's. It needs
// root, as CI has.
func mountTmpfs(t *testing.T, dir, options string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir).CombinedOutput(); err != nil {
		testenv.Require(t, "a tmpfs mount", "mount failed (not root?): "+strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
}

// fill writes into dir until the disk is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 1024)
	for {
		if _, err := f.Write(block); err != nil {
			return
		}
	}
}

// A cache that cannot be written costs a warning, never the credentials,
// and leaves no half-written file behind.
func TestCacheCannotBeWritten(t *testing.T) {
	moto := testenv.StartMoto(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, cacheDir string)
	}{
		{"full disk", func(t *testing.T, cacheDir string) {
			mountTmpfs(t, cacheDir, "size=16k,mode=0700")
			fill(t, cacheDir)
		}},
		{"read-only folder", func(t *testing.T, cacheDir string) {
			mountTmpfs(t, cacheDir, "size=16k,mode=0700,ro")
		}},
		{"cache path is a file", func(t *testing.T, cacheDir string) {
			testenv.WriteFile(t, cacheDir, "not a folder", 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, baseConfig, baseCredentials, moto.URL())
			cacheDir := filepath.Join(f.home, ".aws", "cli", "cache")
			tc.setup(t, cacheDir)
			before, _ := os.ReadDir(cacheDir)

			out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "use", "project1")
			if code != 0 || !strings.Contains(out, "export AWS_SESSION_TOKEN=") {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
			}
			if !strings.Contains(stderr, "cache") || strings.Contains(stderr, secretKey) {
				t.Errorf("stderr should warn about the cache, without secrets:\n%s", stderr)
			}
			after, _ := os.ReadDir(cacheDir)
			if len(after) != len(before) {
				t.Errorf("cache folder had %d entries, now %d: %v", len(before), len(after), after)
			}
		})
	}
}

// requireRoot skips (or, with CI=true, fails) a test that must give files
// to another user.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		testenv.Require(t, "root", "giving files to another user (uid 65534) needs root")
	}
}

// cachedEntry runs `awsenv use project1` once and returns the CLI cache
// folder and the name of the entry it wrote, without its ".json".
func cachedEntry(t *testing.T, f *fixture) (dir, key string) {
	t.Helper()
	f.use("project1")
	files := f.cliCache()
	if len(files) != 1 {
		t.Fatalf("CLI cache after one use: %v", files)
	}
	for name := range files {
		key = strings.TrimSuffix(name, ".json")
	}
	return filepath.Join(f.home, ".aws", "cli", "cache"), key
}

// TestCacheHostileLockLink: a link planted at KEY.lock (in a cache folder
// another user could write to) never has awsenv truncate its target or
// write its pid there: awsenv goes on without the lock.
func TestCacheHostileLockLink(t *testing.T) {
	moto := testenv.StartMoto(t)
	f := newFixture(t, baseConfig, baseCredentials, moto.URL())
	dir, key := cachedEntry(t, f)
	os.Remove(filepath.Join(dir, key+".json"))
	const precious = "# the victim's shell setup\n"
	victim := filepath.Join(f.home, ".bashrc")
	testenv.WriteFile(t, victim, precious, 0o644)
	if err := os.Symlink(victim, filepath.Join(dir, key+".lock")); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "use", "project1")
	if code != 0 || !strings.Contains(out, "export AWS_SESSION_TOKEN=") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != precious {
		t.Errorf("the link's target now holds %q", b)
	}
	if !strings.Contains(stderr, ".lock") || strings.Contains(stderr, secretKey) {
		t.Errorf("stderr should name the lock file, without secrets:\n%s", stderr)
	}
}

// TestCacheHostilePlanted: credentials another user planted, in an entry
// of theirs or in a cache folder they own or may write to, are never
// handed out: awsenv assumes the role itself.
func TestCacheHostilePlanted(t *testing.T) {
	requireRoot(t)
	moto := testenv.StartMoto(t)
	const planted = "ASIAPLANTEDPLANTED00"
	for _, tc := range []struct {
		name string
		// plant makes the entry (or the folder) another user's.
		plant func(t *testing.T, dir, entry string)
		warn  string
	}{
		{"entry of another user", func(t *testing.T, dir, entry string) {
			os.Chown(entry, 65534, 65534)
		}, ""},
		{"folder of another user", func(t *testing.T, dir, entry string) {
			os.Chown(entry, 65534, 65534)
			os.Chown(dir, 65534, 65534)
		}, "owned by uid 65534"},
		{"folder anyone can write to", func(t *testing.T, dir, entry string) {
			os.Chmod(dir, 0o777)
		}, "can be written by others"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, baseConfig, baseCredentials, moto.URL())
			dir, key := cachedEntry(t, f)
			entry := filepath.Join(dir, key+".json")
			exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
			testenv.WriteFile(t, entry, `{"Credentials": {"AccessKeyId": "`+planted+`", "SecretAccessKey": "plantedsecret", "SessionToken": "plantedtoken", "Expiration": "`+exp+`"}}`, 0o600)
			tc.plant(t, dir, entry)

			out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "use", "project1")
			if code != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
			}
			if got := keyOf(t, out); got == planted {
				t.Error("awsenv handed out the credentials another user planted")
			}
			if !strings.Contains(stderr, tc.warn) || strings.Contains(stderr, "plantedsecret") || strings.Contains(stderr, secretKey) {
				t.Errorf("stderr should say %q, without secrets:\n%s", tc.warn, stderr)
			}
		})
	}
}

// TestCacheHostileSharedXDG: with XDG_CACHE_HOME in a folder all users
// share (sticky, as /tmp), another user who makes awsenv's folder there
// first, with an MFA session for our key and a link at its lock, gets
// neither used: awsenv refuses their folder, asks for a code it cannot
// get without a terminal, and the link's target is left as it was.
func TestCacheHostileSharedXDG(t *testing.T) {
	requireRoot(t)
	moto := testenv.StartMoto(t)
	f := newFixture(t, cacheConfig, baseCredentials, moto.URL())
	shared := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(shared, 0o700)
	os.Chmod(shared, 0o777|os.ModeSticky)
	env := f.with("AWSENV_SHELL=bash", "XDG_CACHE_HOME="+shared)

	// Our own MFA session there, to learn its file name.
	if out, stderr, code := f.cacheRun(env, "awsenv", "use", "mfa-a", "--mfa-token", "123456"); code != 0 {
		t.Fatalf("use with a code: exit %d, stdout %q\n%s", code, out, stderr)
	}
	mfa := filepath.Join(shared, "awsenv", "mfa")
	names, _ := filepath.Glob(filepath.Join(mfa, "*.json"))
	if len(names) != 1 {
		t.Fatalf("MFA sessions: %v", names)
	}
	session, _ := os.ReadFile(names[0])
	key := strings.TrimSuffix(filepath.Base(names[0]), ".json")
	os.RemoveAll(filepath.Join(shared, "awsenv"))

	// Another user's folder in its place, with the session and a link.
	const precious = "# the victim's shell setup\n"
	victim := filepath.Join(f.home, ".bashrc")
	testenv.WriteFile(t, victim, precious, 0o644)
	testenv.WriteFile(t, filepath.Join(mfa, key+".json"), string(session), 0o600)
	os.Symlink(victim, filepath.Join(mfa, key+".lock"))
	for _, p := range []string{filepath.Join(mfa, key+".json"), filepath.Join(mfa, key+".lock"), mfa, filepath.Dir(mfa)} {
		os.Lchown(p, 65534, 65534)
	}

	calls := newCounter(t, moto)
	out, stderr, code := f.cacheRun(env, "awsenv", "use", "mfa-b")
	if code == 0 || out != "" {
		t.Errorf("exit %d, stdout %q: the other user's MFA session was used", code, out)
	}
	calls.expect("a refused MFA session", nil)
	if b, _ := os.ReadFile(victim); string(b) != precious {
		t.Errorf("the link's target now holds %q", b)
	}
	if !strings.Contains(stderr, "owned by uid 65534") {
		t.Errorf("stderr should say whose the cache folder is:\n%s", stderr)
	}
}
