package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// BenchmarkCachedLookup is the work of a cached `awsenv use` after the
// config is read: the CLI's key from the profile, then reading the entry.
// It must stay far below a millisecond.
func BenchmarkCachedLookup(b *testing.B) {
	dir := b.TempDir()
	config := filepath.Join(dir, "config")
	os.WriteFile(config, []byte("[profile p]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = u\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n"), 0o600)
	cfg, err := awsconfig.LoadFiles(config, filepath.Join(dir, "credentials"))
	if err != nil {
		b.Fatal(err)
	}
	p, _ := cfg.Profile("p")
	s := Store{Dir: filepath.Join(dir, "cache")}
	args, _ := ProfileArgs(p, 0)
	key, _ := args.Key()
	if err := s.Put(key, testEntry(time.Now().Add(time.Hour))); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		args, ok := ProfileArgs(p, 0)
		if !ok {
			b.Fatal("not a role")
		}
		key, err := args.Key()
		if err != nil {
			b.Fatal(err)
		}
		if e, ok := s.Get(key); !ok || !e.Valid(time.Now()) {
			b.Fatal("no entry")
		}
	}
}
