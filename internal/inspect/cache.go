package inspect

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
)

// Cache names, as they appear in reports.
const (
	CacheCLI    = "aws-cli" // ~/.aws/cli/cache: sessions of roles the AWS CLI assumed
	CacheAwsenv = "awsenv"  // awsenv's own sessions
	CacheSSO    = "sso"     // ~/.aws/sso/cache: SSO logins
)

// CacheEntry is one cached session, described without its secrets.
type CacheEntry struct {
	Cache   string
	Path    string
	Expires time.Time // zero when the entry has none or is corrupt
	// Err says why the entry cannot be read; the CLI and awsenv treat such
	// an entry as missing, so it is reported, not fatal.
	Err error
}

// Expired reports whether the entry has an expiry in the past.
func (e CacheEntry) Expired(now time.Time) bool {
	return e.Err == nil && !e.Expires.IsZero() && !e.Expires.After(now)
}

// CacheDirs returns the cache folders awsenv knows: the AWS CLI's, the
// SSO token cache and awsenv's own (${XDG_CACHE_HOME:-~/.cache}/awsenv).
func CacheDirs(getenv func(string) string) map[string]string {
	home := getenv("HOME")
	if home == "" {
		home, _ = awsconfig.Home()
	}
	return map[string]string{
		CacheCLI:    cache.CLIDirIn(home),
		CacheSSO:    filepath.Join(home, ".aws", "sso", "cache"),
		CacheAwsenv: cache.DirIn(home, getenv("XDG_CACHE_HOME")),
	}
}

// ScanCache lists the JSON entries under dir. A missing folder is an
// empty cache.
func ScanCache(cache, dir string) ([]CacheEntry, error) {
	var out []CacheEntry
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return fs.SkipAll
			}
			out = append(out, CacheEntry{Cache: cache, Path: path, Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		// Dot files are a writer's temporary files, not entries.
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		out = append(out, ReadCacheEntry(cache, path))
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

// ReadCacheEntry reads one entry's expiry. It understands the CLI's
// {"Credentials": {"Expiration": ...}}, the SSO token's "expiresAt", and
// the top-level "Expiration"/"Expires" of credential_process output and
// awsenv's own files.
func ReadCacheEntry(cache, path string) CacheEntry {
	e := CacheEntry{Cache: cache, Path: path}
	data, err := os.ReadFile(path)
	if err != nil {
		e.Err = err
		return e
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		e.Err = errors.New("not valid JSON")
		return e
	}
	if c, ok := doc["Credentials"]; ok {
		var inner map[string]json.RawMessage
		if json.Unmarshal(c, &inner) == nil {
			doc = mergeRaw(doc, inner)
		}
	}
	for _, k := range []string{"Expiration", "expiration", "Expires", "expires", "expiresAt", "ExpiresAt"} {
		raw, ok := doc[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if t, ok := ParseTime(s); ok {
				e.Expires = t
				return e
			}
		}
		var n float64 // epoch seconds or milliseconds
		if json.Unmarshal(raw, &n) == nil && n > 0 {
			if n > 1e12 {
				n /= 1000
			}
			e.Expires = time.Unix(int64(n), 0)
			return e
		}
		e.Err = fmt.Errorf("%s is not a time", k)
		return e
	}
	e.Err = errors.New("no expiry in the entry")
	return e
}

func mergeRaw(a, b map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// SSOTokenFile is the SSO login cache file of a profile: the SHA-1 of its
// sso_session name, or of its legacy sso_start_url.
func SSOTokenFile(dir string, p *awsconfig.Profile) string {
	key := p.Get("sso_session")
	if key == "" {
		key = p.Get("sso_start_url")
	}
	if key == "" {
		return ""
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json")
}

// DeleteExpired removes the expired entries and keeps every other one,
// including those it cannot read: they may belong to a newer tool.
func DeleteExpired(entries []CacheEntry, now time.Time) (deleted []string, err error) {
	var errs []error
	for _, e := range entries {
		if !e.Expired(now) {
			continue
		}
		if err := os.Remove(e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		deleted = append(deleted, e.Path)
	}
	return deleted, errors.Join(errs...)
}
