package cache

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The test binary doubles as a lock holder in another process, when
// TestMain sees these variables.
const (
	helperDir  = "AWSENV_CACHE_TEST_LOCK_DIR"
	helperMode = "AWSENV_CACHE_TEST_LOCK_MODE"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperDir); dir != "" {
		os.Exit(lockHelper(dir, os.Getenv(helperMode)))
	}
	os.Exit(m.Run())
}

// lockHelper is a process that takes the lock: "hold" prints "locked" and
// waits to be killed; "count" increments the counter file under the lock,
// slowly, so that any overlap would lose an increment.
func lockHelper(dir, mode string) int {
	s := Store{Dir: dir}
	unlock, err := s.Lock("k", 30*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch mode {
	case "hold":
		fmt.Println("locked")
		time.Sleep(time.Minute)
	case "count":
		path := filepath.Join(dir, "counter")
		b, _ := os.ReadFile(path)
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		time.Sleep(5 * time.Millisecond)
		if err := os.WriteFile(path, []byte(strconv.Itoa(n+1)), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	unlock()
	return 0
}

func helper(t *testing.T, dir, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperDir+"="+dir, helperMode+"="+mode)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestLockExcludes(t *testing.T) {
	t.Parallel()
	s := Store{Dir: filepath.Join(t.TempDir(), "cache")}
	unlock, err := s.Lock("k", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.Lock("k", 200*time.Millisecond)
	var lte *LockTimeoutError
	if !errors.As(err, &lte) || !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("second Lock = %v, want a timeout", err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond || waited > 2*time.Second {
		t.Errorf("waited %v for a 200ms timeout", waited)
	}
	if runtime.GOOS != "windows" && !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("timeout error %q does not name the holder", err)
	}
	// Another key is not blocked.
	other, err := s.Lock("other", 0)
	if err != nil {
		t.Fatalf("Lock of another key: %v", err)
	}
	other()
	unlock()
	again, err := s.Lock("k", 0)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	again()
	if runtime.GOOS != "windows" {
		if entries, _ := os.ReadDir(s.Dir); len(entries) != 0 {
			t.Errorf("lock files left behind: %v", entries)
		}
	}
}

func TestLockGoroutines(t *testing.T) {
	t.Parallel()
	s := Store{Dir: t.TempDir()}
	var inside, overlaps atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := s.Lock("k", 10*time.Second)
			if err != nil {
				t.Error(err)
				return
			}
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			time.Sleep(2 * time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n > 0 {
		t.Errorf("%d overlapping holders", n)
	}
}

// TestLockProcesses: 16 processes increment a counter under the lock; the
// lock file's removal on unlock must not let two in at once.
func TestLockProcesses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for range 16 {
		cmd := helper(t, dir, "count")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper: %v", err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "counter"))
	if got := strings.TrimSpace(string(b)); got != "16" {
		t.Errorf("counter = %s, want 16: increments were lost to overlapping holders", got)
	}
}

// TestLockHolderKilled: a holder killed outright leaves no stale lock.
func TestLockHolderKilled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := helper(t, dir, "hold")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	s := Store{Dir: dir}
	if _, err := s.Lock("k", 50*time.Millisecond); !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("Lock while the helper holds it = %v, want a timeout", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	start := time.Now()
	unlock, err := s.Lock("k", 5*time.Second)
	if err != nil {
		t.Fatalf("Lock after the holder died: %v", err)
	}
	unlock()
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("took %v to recover the lock of a dead holder", waited)
	}
}

func TestLockUnwritableFolder(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("needs Unix permissions")
	}
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// Permissions do not bind root; a read-only mount does.
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=16k", "tmpfs", dir).CombinedOutput(); err != nil {
			t.Skipf("root cannot be kept out of a folder without a read-only mount: %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	} else {
		os.Chmod(dir, 0o500)
		defer os.Chmod(dir, 0o700)
	}
	if _, err := (Store{Dir: dir}).Lock("k", time.Second); err == nil || errors.Is(err, ErrLockTimeout) {
		t.Errorf("Lock in a read-only folder = %v, want an error other than a timeout", err)
	}
}

func TestLockUnless(t *testing.T) {
	t.Parallel()
	s := Store{Dir: t.TempDir()}
	unlock, err := s.Lock("k", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var ready atomic.Bool
	time.AfterFunc(50*time.Millisecond, func() { ready.Store(true) })
	start := time.Now()
	u, done, err := s.LockUnless("k", 5*time.Second, ready.Load)
	if err != nil || !done || u != nil {
		t.Fatalf("LockUnless = %v, %v, %v; want done without the lock", u != nil, done, err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("waited %v after done", waited)
	}
}
