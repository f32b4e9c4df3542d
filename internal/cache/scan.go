package cache

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
	"github.com/awsenv/awsenv/internal/session"
)

// Cache names, as they appear in reports.
const (
	NameCLI    = "aws-cli" // ~/.aws/cli/cache: sessions of roles the AWS CLI assumed
	NameAwsenv = "awsenv"  // awsenv's own sessions
	NameSSO    = "sso"     // ~/.aws/sso/cache: SSO logins
)

// Dirs returns the cache folders awsenv knows, by name: the AWS CLI's,
// the SSO token cache and awsenv's own (${XDG_CACHE_HOME:-~/.cache}/awsenv;
// its MFA sessions are in MFADir of it), for the environment getenv.
func Dirs(getenv func(string) string) map[string]string {
	home := getenv("HOME")
	if home == "" {
		home, _ = awsconfig.Home()
	}
	return map[string]string{
		NameCLI:    CLIDirIn(home),
		NameSSO:    filepath.Join(home, ".aws", "sso", "cache"),
		NameAwsenv: DirIn(home, getenv("XDG_CACHE_HOME")),
	}
}

// MFADir is the folder of MFA sessions in awsenv's cache folder dir.
func MFADir(dir string) string { return filepath.Join(dir, "mfa") }

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

// File is one file of a cache folder, described without its secrets.
type File struct {
	Cache   string
	Path    string
	Expires time.Time // zero when the file has none or is corrupt
	// Entry is set for a complete credentials entry, one Store.Get takes
	// (Unmarshal reads it).
	Entry bool
	// AssumedRole is the entry's assumed-role ARN
	// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), when it has one.
	AssumedRole string
	// Err says why the file cannot be read; the CLI and awsenv treat such
	// an entry as missing, so it is reported, not fatal. It never quotes
	// the file's content.
	Err error
	// dir is the folder Scan found the file at the top of; DeleteExpired
	// removes nothing else.
	dir string
}

// Expired reports whether the file has an expiry in the past.
func (f File) Expired(now time.Time) bool {
	return f.Err == nil && !f.Expires.IsZero() && !f.Expires.After(now)
}

// Scan describes the JSON files at the top of dir, the cache named cache.
// Subfolders are not entered and links not followed (a link is reported
// as unreadable). A missing folder is an empty cache; one that others can
// change (see CheckFolder) is an error, and is not read.
func Scan(cache, dir string) ([]File, error) {
	if err := CheckFolder(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, d := range entries {
		// Dot files are a writer's temporary files, not entries.
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		f := Describe(cache, filepath.Join(dir, d.Name()))
		f.dir = dir
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Describe reads one file's expiry, without following a link (see
// ReadFile). It understands the CLI's {"Credentials": {"Expiration": ...}},
// the SSO token's "expiresAt", and the top-level "Expiration"/"Expires" of
// credential_process output.
func Describe(cache, path string) File {
	f := File{Cache: cache, Path: path}
	data, err := ReadFile(path)
	if err != nil {
		f.Err = err
		return f
	}
	if e, err := Unmarshal(data); err == nil {
		f.Entry, f.Expires = true, e.Credentials.Expiration
		if e.AssumedRoleUser != nil {
			f.AssumedRole = e.AssumedRoleUser.Arn
		}
		return f
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		// Not the decoder's message: it can quote the content.
		f.Err = errors.New("not valid JSON")
		return f
	}
	if c, ok := doc["Credentials"]; ok {
		var inner map[string]json.RawMessage
		if json.Unmarshal(c, &inner) == nil {
			for k, v := range inner {
				doc[k] = v
			}
		}
	}
	for _, k := range []string{"Expiration", "expiration", "Expires", "expires", "expiresAt", "ExpiresAt"} {
		raw, ok := doc[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if t, ok := session.ParseExpiry(s); ok {
				f.Expires = t
				return f
			}
		}
		var n float64 // epoch seconds or milliseconds
		if json.Unmarshal(raw, &n) == nil && n > 0 && n < 1e15 {
			if n > 1e12 {
				n /= 1000
			}
			f.Expires = time.Unix(int64(n), 0)
			return f
		}
		f.Err = fmt.Errorf("%s is not a time", k)
		return f
	}
	f.Err = errors.New("no expiry in the entry")
	return f
}

// isKeyName reports whether name is that of an AWS CLI credentials entry
// (and of awsenv's MFA sessions): a SHA-1 in lowercase hex, then ".json".
func isKeyName(name string) bool {
	key, ok := strings.CutSuffix(name, ".json")
	if !ok || len(key) != 2*sha1.Size {
		return false
	}
	for _, c := range key {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// DeleteExpired removes the expired credentials entries among files, as
// Scan found them, and keeps every other file, including those it cannot
// read: they may belong to a newer tool, or be something the user keeps
// there. It removes only a file Scan found at the top of a folder awsenv
// trusts, named like a CLI cache key, whose content, read again just
// before (never through a link), is a complete credentials entry that has
// expired.
func DeleteExpired(files []File, now time.Time) (deleted []string, err error) {
	var errs []error
	for _, f := range files {
		if f.dir == "" || filepath.Dir(f.Path) != filepath.Clean(f.dir) || !f.Entry || !f.Expired(now) || !isKeyName(filepath.Base(f.Path)) {
			continue
		}
		ok, err := removeExpired(f.Path, now)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			deleted = append(deleted, f.Path)
		}
	}
	return deleted, errors.Join(errs...)
}

// removeExpired removes path when it is, now, an expired entry of this
// user's. The file removed is the one read: the folder is one nobody else
// can change, and the name still leads to the file that was checked.
func removeExpired(path string, now time.Time) (bool, error) {
	if err := CheckFolder(filepath.Dir(path)); err != nil {
		return false, err
	}
	data, fi, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	e, err := Unmarshal(data)
	if err != nil || e.Credentials.Expiration.After(now) {
		return false, nil
	}
	if cur, err := os.Lstat(path); err != nil || !os.SameFile(fi, cur) {
		return false, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, nil
}
