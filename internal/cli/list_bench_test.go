package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkList10000 is `awsenv list` over 10,000 role profiles, as an
// SSO-generated config holds: the budget is 50 ms (scripts/bench.sh).
func BenchmarkList10000(b *testing.B) {
	dir := b.TempDir()
	var cfg strings.Builder
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&cfg, "[profile account-%05d-Admin]\nrole_arn = arn:aws:iam::%012d:role/Admin\nsource_profile = user1\nregion = eu-west-1\n\n", i, 100000000000+i)
	}
	os.WriteFile(filepath.Join(dir, "config"), []byte(cfg.String()), 0o600)
	os.WriteFile(filepath.Join(dir, "credentials"), []byte("[user1]\naws_access_key_id = AKIA\naws_secret_access_key = x\n"), 0o600)
	b.Setenv("HOME", dir)
	b.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	b.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	app := &App{Stdout: io.Discard, Stderr: io.Discard}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := (&ListCmd{}).Run(app); err != nil {
			b.Fatal(err)
		}
	}
}
