package awsconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeManyProfiles writes a config of n role profiles, the shape of the
// configs that SSO tooling generates, and returns its path.
func writeManyProfiles(b *testing.B, n int) string {
	b.Helper()
	var sb strings.Builder
	sb.WriteString("[default]\nregion = eu-west-1\n\n[profile base]\ncredential_process = /bin/true\n\n")
	for i := range n {
		fmt.Fprintf(&sb, "[profile account-%05d-Admin]\nrole_arn = arn:aws:iam::%012d:role/Admin\nsource_profile = base\nregion = eu-west-1\nrole_session_name = me\n\n", i, i)
	}
	p := filepath.Join(b.TempDir(), "config")
	if err := os.WriteFile(p, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoad10000 is what `awsenv use` pays on every call with a
// generated 10,000-profile config: load both files, look up one profile.
func BenchmarkLoad10000(b *testing.B) {
	config := writeManyProfiles(b, 10_000)
	creds := filepath.Join(b.TempDir(), "credentials")
	b.ReportAllocs()
	for b.Loop() {
		c, err := LoadFiles(config, creds)
		if err != nil {
			b.Fatal(err)
		}
		if p, ok := c.Profile("account-05000-Admin"); !ok || p.Get("source_profile") != "base" {
			b.Fatal("profile not found")
		}
	}
}
