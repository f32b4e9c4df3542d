//go:build unix

package cache

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// otherUID is a user that is not the test's: nobody.
const otherUID = 65534

// requireRoot skips a test that must make files another user's.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skipf("needs root to give files to another user (uid %d); run the tests as root, as CI does", otherUID)
	}
}

func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Lchown(path, uid, uid); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLockRefusesForeignFiles: whatever is at KEY.lock that awsenv did not
// create (a link to a victim's ~/.bashrc planted in a shared cache folder,
// a hard link, another user's file) is refused and left as it was: never
// truncated, never written into.
func TestLockRefusesForeignFiles(t *testing.T) {
	const precious = "# the victim's ~/.bashrc\n"
	for _, tc := range []struct {
		name  string
		root  bool
		plant func(t *testing.T, lock, victim string)
	}{
		{"symlink", false, func(t *testing.T, lock, victim string) {
			if err := os.Symlink(victim, lock); err != nil {
				t.Fatal(err)
			}
		}},
		{"symlink to another user's file", true, func(t *testing.T, lock, victim string) {
			chown(t, victim, otherUID)
			if err := os.Symlink(victim, lock); err != nil {
				t.Fatal(err)
			}
		}},
		{"hard link", false, func(t *testing.T, lock, victim string) {
			if err := os.Link(victim, lock); err != nil {
				t.Skipf("no hard link across these folders: %v", err)
			}
		}},
		{"another user's file", true, func(t *testing.T, lock, victim string) {
			os.WriteFile(lock, []byte(precious), 0o600)
			chown(t, lock, otherUID)
			os.Remove(victim)
			os.Link(lock, victim) // what to compare with
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root {
				requireRoot(t)
			}
			base := t.TempDir()
			s := Store{Dir: filepath.Join(base, "cache")}
			os.Mkdir(s.Dir, 0o700)
			victim := filepath.Join(base, "bashrc")
			os.WriteFile(victim, []byte(precious), 0o644)
			lock := filepath.Join(s.Dir, "k.lock")
			tc.plant(t, lock, victim)

			unlock, err := s.Lock("k", 100*time.Millisecond)
			if err == nil {
				unlock()
				t.Error("Lock took a lock file awsenv did not create")
			} else if errors.Is(err, ErrLockTimeout) {
				t.Errorf("Lock = %v, want a refusal", err)
			}
			if got := readString(t, victim); got != precious {
				t.Errorf("the victim's file now holds %q", got)
			}
			if _, err := os.Lstat(lock); err != nil {
				t.Errorf("the planted lock file was removed: %v", err)
			}
		})
	}
}

// entryWithKey is a complete entry whose access key says who wrote it.
func entryWithKey(key string) []byte {
	e := testEntry(time.Now().Add(time.Hour))
	e.Credentials.AccessKeyID = key
	b, _ := e.Marshal()
	return b
}

// TestUntrustedFolders: a cache folder that anyone but this user (or root)
// can change, or one reached through such a folder, is neither read nor
// written; sticky folders like /tmp above it are fine.
func TestUntrustedFolders(t *testing.T) {
	for _, tc := range []struct {
		name    string
		root    bool
		trusted bool
		// setup returns the Store folder, with an entry "k" of ours in it.
		setup func(t *testing.T, base string) string
	}{
		{"private", false, true, func(t *testing.T, base string) string {
			return filepath.Join(base, "cache")
		}},
		{"sticky world-writable parent", false, true, func(t *testing.T, base string) string {
			os.Chmod(base, 0o777|os.ModeSticky)
			return filepath.Join(base, "cache")
		}},
		{"world-writable parent", false, false, func(t *testing.T, base string) string {
			os.Chmod(base, 0o777)
			return filepath.Join(base, "cache")
		}},
		{"group-writable parent", false, false, func(t *testing.T, base string) string {
			os.Chmod(base, 0o770)
			return filepath.Join(base, "cache")
		}},
		{"parent of another user", true, false, func(t *testing.T, base string) string {
			chown(t, base, otherUID)
			return filepath.Join(base, "cache")
		}},
		{"folder of another user", true, false, func(t *testing.T, base string) string {
			chown(t, filepath.Join(base, "cache"), otherUID)
			return filepath.Join(base, "cache")
		}},
		{"through a link in a shared folder", false, false, func(t *testing.T, base string) string {
			shared := filepath.Join(base, "shared")
			os.Mkdir(shared, 0o700)
			os.Symlink(filepath.Join(base, "cache"), filepath.Join(shared, "link"))
			os.Chmod(shared, 0o777)
			return filepath.Join(shared, "link")
		}},
		{"through a link of ours", false, true, func(t *testing.T, base string) string {
			os.Symlink("cache", filepath.Join(base, "link"))
			return filepath.Join(base, "link")
		}},
		{"through a relative link", false, true, func(t *testing.T, base string) string {
			os.Mkdir(filepath.Join(base, "sub"), 0o700)
			os.Symlink("../cache", filepath.Join(base, "sub", "link"))
			return filepath.Join(base, "sub", "link")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root {
				requireRoot(t)
			}
			base := filepath.Join(t.TempDir(), "base")
			os.Mkdir(base, 0o700)
			os.Mkdir(filepath.Join(base, "cache"), 0o700)
			if err := os.WriteFile(filepath.Join(base, "cache", "k.json"), entryWithKey("ASIAOURS"), 0o600); err != nil {
				t.Fatal(err)
			}
			s := Store{Dir: tc.setup(t, base)}
			if _, ok := s.Get("k"); ok != tc.trusted {
				t.Errorf("Get found the entry = %v, want %v", ok, tc.trusted)
			}
			err := s.Put("new", testEntry(time.Now().Add(time.Hour)))
			if tc.trusted && err != nil {
				t.Errorf("Put: %v", err)
			}
			if !tc.trusted {
				var ue *UntrustedError
				if !errors.As(err, &ue) || !errors.Is(err, ErrUntrusted) {
					t.Errorf("Put = %v, want an *UntrustedError", err)
				}
				if _, err := os.Lstat(filepath.Join(base, "cache", "new.json")); err == nil {
					t.Error("Put wrote into a folder others can change")
				}
				if unlock, err := s.Lock("k", 50*time.Millisecond); err == nil {
					unlock()
					t.Error("Lock in a folder others can change")
				}
			}
		})
	}
}

// TestGroupWritableCacheFolder: the cache folder itself, when it is ours
// but others may write to it (the AWS CLI creates it with the umask, 002
// on some systems), is neither read nor written: its entries may have
// been swapped already. Only MakePrivate, which the user asks for with
// doctor --fix, makes it private again. A folder only others may read
// (umask 022) is made private quietly.
func TestGroupWritableCacheFolder(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "cache")}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	os.Mkdir(s.Dir, 0o775)
	os.WriteFile(s.Path("k"), entryWithKey("ASIAOURS"), 0o600)
	if _, ok := s.Get("k"); ok {
		t.Error("Get read from a folder the group can write to")
	}
	if err := s.Put("k", testEntry(time.Now().Add(time.Hour))); !errors.Is(err, ErrUntrusted) {
		t.Errorf("Put = %v, want a refusal", err)
	}
	if err := MakePrivate(s.Dir); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(s.Dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("cache folder left at %v", fi.Mode().Perm())
	}
	if _, ok := s.Get("k"); !ok {
		t.Error("Get after MakePrivate")
	}
	os.Chmod(s.Dir, 0o755)
	if err := s.Put("k", testEntry(time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(s.Dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("readable cache folder left at %v", fi.Mode().Perm())
	}
}

// TestMkdirPrivateChangesNoOneElsesFolder: a cache folder that is a link
// to someone else's folder is refused, not made 0700 (as root, the chmod
// would have succeeded) nor written into.
func TestMkdirPrivateChangesNoOneElsesFolder(t *testing.T) {
	requireRoot(t)
	base := t.TempDir()
	victim := filepath.Join(base, "victim")
	os.Mkdir(victim, 0o755)
	chown(t, victim, otherUID)
	s := Store{Dir: filepath.Join(base, "cache")}
	os.Symlink(victim, s.Dir)
	if err := s.Put("k", testEntry(time.Now().Add(time.Hour))); !errors.Is(err, ErrUntrusted) {
		t.Errorf("Put = %v, want a refusal", err)
	}
	if fi, _ := os.Stat(victim); fi.Mode().Perm() != 0o755 {
		t.Errorf("the victim's folder is now %v", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(victim); len(entries) != 0 {
		t.Errorf("written into the victim's folder: %v", entries)
	}
}

// TestGetRace: a file swapped between a check by name and the read (here
// an entry of ours, replaced by a file or a link another user planted) is
// never read: Get judges the descriptor it reads from. Before, the
// planted credentials were taken in about one read of four.
func TestGetRace(t *testing.T) {
	requireRoot(t)
	base := t.TempDir()
	planted := filepath.Join(base, "planted.json")
	os.WriteFile(planted, entryWithKey("ASIAPLANTED"), 0o600)
	chown(t, planted, otherUID)
	s := Store{Dir: filepath.Join(base, "cache")}
	os.Mkdir(s.Dir, 0o700)
	ours := entryWithKey("ASIAOURS")
	os.WriteFile(s.Path("k"), ours, 0o600)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		next := filepath.Join(s.Dir, ".next")
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			switch i % 4 {
			case 0: // a link to the planted file
				os.Symlink(planted, next)
			case 2: // a planted file of the other user's own
				os.WriteFile(next, entryWithKey("ASIAPLANTED"), 0o600)
				os.Chown(next, otherUID, otherUID)
			default:
				os.WriteFile(next, ours, 0o600)
			}
			os.Rename(next, s.Path("k"))
		}
	}()
	taken := 0
	for range 3000 {
		if e, ok := s.Get("k"); ok && e.Credentials.AccessKeyID == "ASIAPLANTED" {
			taken++
		}
	}
	close(stop)
	wg.Wait()
	if taken > 0 {
		t.Errorf("%d of 3000 reads took the credentials another user planted", taken)
	}
}

// TestGetOtherUsersFile: a file another user owns is not read, even in a
// folder of ours (as root, the read itself would succeed).
func TestGetOtherUsersFile(t *testing.T) {
	requireRoot(t)
	s := Store{Dir: t.TempDir()}
	os.WriteFile(s.Path("k"), entryWithKey("ASIAPLANTED"), 0o600)
	chown(t, s.Path("k"), otherUID)
	if _, ok := s.Get("k"); ok {
		t.Error("Get read another user's file")
	}
}

// TestGetFIFO: a FIFO at an entry's name neither blocks Get nor counts.
func TestGetFIFO(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if err := syscall.Mkfifo(s.Path("k"), 0o600); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	done := make(chan bool)
	go func() { _, ok := s.Get("k"); done <- ok }()
	select {
	case ok := <-done:
		if ok {
			t.Error("Get read a FIFO")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Get blocked on a FIFO")
	}
}
