package awsconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestReplaceBlock(t *testing.T) {
	const body = "[profile a]\nregion = x\n"
	tests := []struct {
		name, in, body, want string
	}{
		{"empty file", "", body, "# BEGIN awsenv corp\n[profile a]\nregion = x\n# END awsenv corp\n"},
		{"appended after a blank line", "# mine\n[default]\nregion = y\n", body,
			"# mine\n[default]\nregion = y\n\n# BEGIN awsenv corp\n[profile a]\nregion = x\n# END awsenv corp\n"},
		{"no newline at the end", "[default]\nregion = y", body,
			"[default]\nregion = y\n\n# BEGIN awsenv corp\n[profile a]\nregion = x\n# END awsenv corp\n"},
		{"CRLF kept", "; mine\r\n[default]\r\n\r\n", body,
			"; mine\r\n[default]\r\n\r\n# BEGIN awsenv corp\r\n[profile a]\r\nregion = x\r\n# END awsenv corp\r\n"},
		{"replaced in place", "[default]\n# BEGIN awsenv corp\n[profile old]\n# END awsenv corp\n[profile mine]\n", body,
			"[default]\n# BEGIN awsenv corp\n[profile a]\nregion = x\n# END awsenv corp\n[profile mine]\n"},
		{"another session's block untouched", "# BEGIN awsenv other\n[profile o]\n# END awsenv other\n", body,
			"# BEGIN awsenv other\n[profile o]\n# END awsenv other\n\n# BEGIN awsenv corp\n[profile a]\nregion = x\n# END awsenv corp\n"},
		{"removed", "[default]\n# BEGIN awsenv corp\n[profile old]\n# END awsenv corp\n[profile mine]\n", "",
			"[default]\n[profile mine]\n"},
		{"nothing to remove", "[default]\n", "", "[default]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReplaceBlock([]byte(tt.in), "config", "corp", tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			if tt.body != "" {
				b, found, err := FindBlock(got, "config", "corp")
				if err != nil || !found || b != tt.body {
					t.Errorf("FindBlock = %q, %v, %v", b, found, err)
				}
			}
		})
	}
}

func TestReplaceBlockBroken(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no END", "[default]\n# BEGIN awsenv corp\n[profile a]\n", "config:2: # BEGIN awsenv corp without # END awsenv corp"},
		{"END first", "# END awsenv corp\n", "config:1: # END awsenv corp without"},
		{"two blocks", "# BEGIN awsenv corp\n# END awsenv corp\n# BEGIN awsenv corp\n# END awsenv corp\n", "config:3: a second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReplaceBlock([]byte(tt.in), "config", "corp", "[profile a]\n")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestProfilesOutsideBlock(t *testing.T) {
	in := "[default]\n[profile mine]\n[sso-session corp]\n# BEGIN awsenv corp\n[profile gen]\n# END awsenv corp\n"
	got, err := ProfilesOutsideBlock([]byte(in), "config", "corp")
	if err != nil || strings.Join(got, ",") != "default,mine" {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestWriteBlock(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "aws-config")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	orig := "# my settings\r\n[default]\r\nregion = eu-west-1\r\n"
	if err := os.WriteFile(real, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config")
	if err := os.Symlink(real, path); err != nil {
		t.Skip("no symbolic links:", err)
	}
	now := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	backup, changed, err := WriteBlock(path, "corp", "[profile a]\n", now)
	if err != nil || !changed {
		t.Fatalf("WriteBlock = %v, %v", changed, err)
	}
	if want := real + ".awsenv-backup-20261201T093000Z"; backup != want {
		t.Errorf("backup %s, want %s", backup, want)
	}
	if b, _ := os.ReadFile(backup); string(b) != orig {
		t.Errorf("backup holds %q", b)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symbolic link was replaced by a file")
	}
	got, _ := os.ReadFile(real)
	if !strings.HasPrefix(string(got), orig) || !strings.Contains(string(got), "[profile a]\r\n") {
		t.Errorf("file %q", got)
	}
	if fi, _ := os.Stat(real); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	// The same block again changes nothing and backs nothing up.
	if backup, changed, err := WriteBlock(path, "corp", "[profile a]\n", now.Add(time.Minute)); err != nil || changed || backup != "" {
		t.Errorf("second write = %q, %v, %v", backup, changed, err)
	}
	// A broken block is an error, and the file stays as it was.
	broken := "[default]\n# BEGIN awsenv corp\n"
	if err := os.WriteFile(real, []byte(broken), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, _, err := WriteBlock(path, "corp", "[profile a]\n", now); err == nil {
		t.Error("a block without END was rewritten")
	}
	if b, _ := os.ReadFile(real); string(b) != broken {
		t.Error("a failed write changed the file")
	}
}

func TestWriteBlockNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".aws", "config")
	backup, changed, err := WriteBlock(path, "corp", "[profile a]\n", time.Now())
	if err != nil || !changed || backup != "" {
		t.Fatalf("WriteBlock = %q, %v, %v", backup, changed, err)
	}
	if fi, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v", err)
	}
}

// Whatever the file holds, writing a block and removing it again gives
// back what removing it from the original gives: nothing outside the
// block is touched; and the block reads back as written.
func FuzzReplaceBlock(f *testing.F) {
	f.Add([]byte("[default]\nregion = x\n"), "[profile a]\nk = v\n")
	f.Add([]byte("; c\r\n[default]\r\n# BEGIN awsenv corp\r\n[profile a]\r\n# END awsenv corp\r\ntail"), "[profile b]\n")
	f.Add([]byte(""), "")
	f.Fuzz(func(t *testing.T, data []byte, body string) {
		if strings.Contains(body, "awsenv corp") || strings.ContainsRune(body, '\r') {
			return // a body with our markers or bare CRs is not one awsenv writes
		}
		out, err := ReplaceBlock(data, "config", "corp", body)
		if err != nil {
			return
		}
		without, err := ReplaceBlock(data, "config", "corp", "")
		if err != nil {
			t.Fatalf("removing failed where writing did not: %v", err)
		}
		again, err := ReplaceBlock(out, "config", "corp", "")
		if err != nil {
			t.Fatal(err)
		}
		if body != "" && !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		if body == "" {
			if string(out) != string(without) {
				t.Fatalf("an empty body changed the file")
			}
			return
		}
		got, found, err := FindBlock(out, "config", "corp")
		if err != nil || !found || got != body {
			t.Fatalf("FindBlock = %q, %v, %v; want %q", got, found, err, body)
		}
		// Appending may add a line end and a blank line before the
		// block; everything else must come back.
		if !strings.HasPrefix(string(again), string(without)) || len(again)-len(without) > 4 || strings.TrimSpace(string(again[len(without):])) != "" {
			t.Fatalf("outside the block:\n%q\nwant\n%q", again, without)
		}
	})
}

func ExampleReplaceBlock() {
	config := "# mine\n[default]\nregion = eu-west-1\n"
	out, _ := ReplaceBlock([]byte(config), "~/.aws/config", "sso-session corp", "[profile a]\nsso_session = corp\n")
	fmt.Print(string(out))
	// Output:
	// # mine
	// [default]
	// region = eu-west-1
	//
	// # BEGIN awsenv sso-session corp
	// [profile a]
	// sso_session = corp
	// # END awsenv sso-session corp
}
