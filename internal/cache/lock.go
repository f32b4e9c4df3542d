package cache

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrLockTimeout means another process held the lock for the whole wait.
var ErrLockTimeout = errors.New("timed out waiting for the cache lock")

// errBusy is what a platform's tryLock returns while someone else holds
// the lock.
var errBusy = errors.New("lock busy")

// LockTimeoutError names the lock file and, when it says, the holder.
type LockTimeoutError struct {
	Path   string
	Holder string // "pid 1234" or ""
	Waited time.Duration
}

func (e *LockTimeoutError) Error() string {
	who := "another awsenv"
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	return fmt.Sprintf("%s held %s for %s", who, e.Path, e.Waited.Round(time.Second))
}

func (e *LockTimeoutError) Unwrap() error { return ErrLockTimeout }

// Lock takes the lock for key, waiting up to wait, and returns the
// function that releases it. The lock is an operating system lock on
// KEY.lock beside the entry (flock on Unix, LockFileEx on Windows), which
// the system releases when its holder exits in any way: a crashed awsenv
// can never leave a stale lock behind. A holder that hangs (say, at an MFA
// prompt nobody answers) makes Lock give up after wait with a
// *LockTimeoutError; callers then go on without the lock, at the cost of
// one more STS call.
func (s Store) Lock(key string, wait time.Duration) (unlock func(), err error) {
	unlock, _, err = s.LockUnless(key, wait, nil)
	return unlock, err
}

// LockUnless is Lock that stops waiting, without the lock, as soon as
// done reports true; done is checked between attempts. Waiters for the
// same credentials use it to take the entry the holder writes, instead of
// each taking the lock in turn only to find it.
func (s Store) LockUnless(key string, wait time.Duration, done func() bool) (unlock func(), isDone bool, err error) {
	if err := MkdirPrivate(s.Dir); err != nil {
		return nil, false, err
	}
	path := filepath.Join(s.Dir, fileSafe(key)+".lock")
	start := time.Now()
	pause := 2 * time.Millisecond
	for {
		unlock, err := tryLock(path)
		if err == nil {
			return unlock, false, nil
		}
		if !errors.Is(err, errBusy) {
			// errors.ErrUnsupported stays recognisable: no locks here.
			return nil, false, fmt.Errorf("locking %s: %w", path, err)
		}
		if done != nil && done() {
			return nil, true, nil
		}
		if time.Since(start) >= wait {
			return nil, false, &LockTimeoutError{Path: path, Holder: holder(path), Waited: time.Since(start)}
		}
		time.Sleep(pause)
		pause = min(pause*2, 50*time.Millisecond)
	}
}

// holder reads the pid the lock's holder wrote into the file, from a lock
// file that passes the checks of openLock: never through a link.
func holder(path string) string {
	f, err := openNoFollow(path, false)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || checkFile(fi, true) != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(f, 32))
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
		return "pid " + strconv.Itoa(pid)
	}
	return ""
}

// openLock opens or creates the lock file path: without following a
// link, without truncating, and only when its open descriptor shows a
// regular file of this user's, writable by nobody else, with no other
// name. A lock file is written into (see writePID); anything else at its
// name, say a link to a file of someone's planted in a shared cache
// folder, is refused and left untouched.
func openLock(path string) (*os.File, error) {
	f, err := openNoFollow(path, true)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && unlinked(fi) {
		// The previous holder removed it since the open: go round.
		f.Close()
		return nil, errBusy
	}
	if err == nil {
		err = checkFile(fi, true)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock file %s: %w; awsenv leaves it alone: remove it if it is not yours", path, err)
	}
	return f, nil
}

// writePID records the holder, for the message of a waiter that gives up.
// f passed openLock's checks, so it is a file of awsenv's own.
func writePID(f *os.File) {
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}
