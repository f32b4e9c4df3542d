package cache

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The expected names were computed with CPython 3's json.dumps(args,
// sort_keys=True) and hashlib.sha1, as awscli/botocore/utils.py does.
func TestSSORegistrationKey(t *testing.T) {
	const url = "https://corp.awsapps.com/start"
	tests := []struct {
		name, startURL, region, session string
		scopes                          []string
		want                            string
	}{
		{"session without scopes", url, "eu-west-1", "corp", nil, "a5ef4a75f83137c047e4ff336d1dade82162017b"},
		{"session with scopes", url, "eu-west-1", "corp", []string{"sso:account:access"}, "787ef34d0a944c01385765faa28b5e67d1c08f33"},
		{"legacy profile", url, "us-east-1", "", nil, "ffb6eff0a547e7a6123046d5853a4c054139b507"},
		{"non-ASCII session, two scopes", "https://x/start", "us-east-1", "Zürich", []string{"a", "b"}, "1cfa5428e885f28c83f9c987f982287538ed54a3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SSORegistrationKey(tt.startURL, tt.region, tt.session, tt.scopes); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSSOTokenKey(t *testing.T) {
	if got, want := SSOTokenKey("corp", "https://corp.awsapps.com/start"), "ee0bfd2552fbd840c02cc48b6e823320543c450f"; got != want {
		t.Errorf("session: got %s, want %s", got, want)
	}
	if got, want := SSOTokenKey("", "https://corp.awsapps.com/start"), "a51746d4aa793ae07b25e90c3a5db96fc7832bd7"; got != want {
		t.Errorf("legacy: got %s, want %s", got, want)
	}
}

func TestReadPrivate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, _, err := ReadPrivate(good, 10); err != nil || string(data) != "{}" {
		t.Fatalf("ReadPrivate(good) = %q, %v", data, err)
	}
	if _, _, err := ReadPrivate(good, 1); err == nil {
		t.Error("a file over the limit was read")
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(good, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, _, err := ReadPrivate(link, 10); err == nil {
		t.Error("a symbolic link was followed")
	}
	if runtime.GOOS != "windows" {
		open := filepath.Join(dir, "open.json")
		if err := os.WriteFile(open, []byte(`{}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(open, 0o666); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadPrivate(open, 10); err == nil {
			t.Error("a file others may write was read")
		}
	}
}
