// Package cache keeps temporary credentials on disk: assumed-role
// credentials in the AWS CLI's own cache (~/.aws/cli/cache), in its file
// names and format, so that the CLI and awsenv reuse each other's
// sessions; and awsenv's MFA sessions under ${XDG_CACHE_HOME:-~/.cache}/awsenv.
//
// It links no AWS SDK and no net/http: the lean awsenv binary reads it to
// answer `awsenv use` from the cache in about a millisecond. A file that
// cannot be read, parsed or trusted is treated as missing, never as an
// error, and is replaced by the next write.
package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// RefreshMargin is how long credentials must still be valid to be used
// from the cache. It is the CLI's own expiry window (botocore's
// CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS): with the same
// margin, an entry one tool takes is never one the other refetches, and
// the shell is handed at least 15 minutes.
const RefreshMargin = 15 * time.Minute

// maxFileSize bounds what is read: an STS response is about 2 KB.
const maxFileSize = 1 << 20

// Credentials are the Credentials object of an STS response.
type Credentials struct {
	AccessKeyID     string    `json:"AccessKeyId"`
	SecretAccessKey string    `json:"SecretAccessKey"`
	SessionToken    string    `json:"SessionToken"`
	Expiration      time.Time `json:"-"`
	// AccountID is what botocore adds from AssumedRoleUser.Arn.
	AccountID string `json:"AccountId,omitempty"`
}

// RoleUser is the AssumedRoleUser object of an AssumeRole response.
type RoleUser struct {
	AssumedRoleID string `json:"AssumedRoleId"`
	Arn           string `json:"Arn"`
}

// Entry is one cache file: an AssumeRole (or GetSessionToken) response,
// as the AWS CLI writes it.
type Entry struct {
	Credentials     Credentials
	AssumedRoleUser *RoleUser
	// Written is the file's modification time, when read from disk.
	Written time.Time
}

// Valid reports whether e can be handed out at now: more than
// RefreshMargin left.
func (e Entry) Valid(now time.Time) bool {
	return e.Credentials.Expiration.Sub(now) > RefreshMargin
}

// fileEntry is the on-disk form. Expiration is the STS form,
// "2026-01-02T15:04:05Z", which is what the CLI writes: it stores the
// response's timestamp strings unparsed.
type fileEntry struct {
	Credentials struct {
		AccessKeyID     string          `json:"AccessKeyId"`
		SecretAccessKey string          `json:"SecretAccessKey"`
		SessionToken    string          `json:"SessionToken"`
		Expiration      json.RawMessage `json:"Expiration"`
		AccountID       string          `json:"AccountId,omitempty"`
	} `json:"Credentials"`
	AssumedRoleUser *RoleUser `json:"AssumedRoleUser,omitempty"`
}

// Marshal returns e in the CLI's file format.
func (e Entry) Marshal() ([]byte, error) {
	var f fileEntry
	c := e.Credentials
	f.Credentials.AccessKeyID = c.AccessKeyID
	f.Credentials.SecretAccessKey = c.SecretAccessKey
	f.Credentials.SessionToken = c.SessionToken
	f.Credentials.AccountID = c.AccountID
	exp, err := json.Marshal(c.Expiration.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	f.Credentials.Expiration = exp
	f.AssumedRoleUser = e.AssumedRoleUser
	return json.Marshal(f)
}

// Unmarshal parses a cache file. Anything short of complete credentials
// with an expiry is an error: a file is never half trusted.
func Unmarshal(data []byte) (Entry, error) {
	var f fileEntry
	if err := json.Unmarshal(data, &f); err != nil {
		return Entry{}, err
	}
	c := f.Credentials
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" {
		return Entry{}, errors.New("no credentials")
	}
	var s string
	if err := json.Unmarshal(c.Expiration, &s); err != nil {
		return Entry{}, fmt.Errorf("expiration: %w", err)
	}
	exp, err := ParseTime(s)
	if err != nil {
		return Entry{}, err
	}
	if exp.IsZero() {
		// Go's zero time is how a missing expiry looks once parsed: an
		// entry that cannot say when it ends is not to be trusted.
		return Entry{}, errors.New("expiration: the zero time")
	}
	return Entry{
		Credentials: Credentials{
			AccessKeyID:     c.AccessKeyID,
			SecretAccessKey: c.SecretAccessKey,
			SessionToken:    c.SessionToken,
			Expiration:      exp,
			AccountID:       c.AccountID,
		},
		AssumedRoleUser: f.AssumedRoleUser,
	}, nil
}

// ParseTime reads the timestamps the AWS CLI and botocore write: STS's own
// "2026-01-02T15:04:05Z" with or without fractions (CLI v1 keeps the
// response's string), ISO 8601 offsets from datetime.isoformat(), with T or
// a space, and botocore's strftime('%Y-%m-%dT%H:%M:%S%Z') form ending in
// "UTC" (written when the response held parsed datetimes). A time without
// a zone is refused, as botocore cannot compare it either.
func ParseTime(s string) (time.Time, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if len(t) > 10 && t[10] == ' ' {
		t = t[:10] + "T" + t[11:]
	}
	for _, zone := range []string{"UTC", "GMT"} {
		if strings.HasSuffix(t, zone) {
			t = strings.TrimSpace(strings.TrimSuffix(t, zone)) + "Z"
		}
	}
	// +0000 is not RFC 3339; +00:00 is.
	if n := len(t); n > 5 && (t[n-5] == '+' || t[n-5] == '-') && !strings.Contains(t[n-5:], ":") {
		t = t[:n-2] + ":" + t[n-2:]
	}
	v, err := time.Parse(time.RFC3339Nano, t)
	if err != nil {
		return time.Time{}, fmt.Errorf("unrecognised expiration %q", s)
	}
	return v.UTC(), nil
}

// Store is a folder of cache files named KEY.json.
type Store struct {
	Dir string
}

// CLIStore is the AWS CLI's cache, ~/.aws/cli/cache (the CLI expands ~
// with the home folder, whatever AWS_CONFIG_FILE says).
func CLIStore() (Store, error) {
	home, err := awsconfig.Home()
	if err != nil {
		return Store{}, fmt.Errorf("no home folder for the AWS CLI cache: %w", err)
	}
	return Store{Dir: CLIDirIn(home)}, nil
}

// CLIDirIn is the AWS CLI's cache folder for the home folder home.
func CLIDirIn(home string) string { return filepath.Join(home, ".aws", "cli", "cache") }

// Dir is awsenv's own cache folder, ${XDG_CACHE_HOME:-~/.cache}/awsenv on
// every system, so that one documented path holds everywhere.
func Dir() (string, error) {
	xdg := os.Getenv("XDG_CACHE_HOME")
	home, err := awsconfig.Home()
	if err != nil && !filepath.IsAbs(xdg) {
		return "", fmt.Errorf("no home folder for the awsenv cache: %w", err)
	}
	return DirIn(home, xdg), nil
}

// DirIn is awsenv's cache folder for the home folder home and the value
// xdgCacheHome of XDG_CACHE_HOME, which counts only when it is absolute,
// as the XDG spec says.
func DirIn(home, xdgCacheHome string) string {
	if xdgCacheHome != "" && filepath.IsAbs(xdgCacheHome) {
		return filepath.Join(xdgCacheHome, "awsenv")
	}
	return filepath.Join(home, ".cache", "awsenv")
}

// MFAStore holds awsenv's MFA sessions (GetSessionToken responses).
func MFAStore() (Store, error) {
	d, err := Dir()
	if err != nil {
		return Store{}, err
	}
	return Store{Dir: filepath.Join(d, "mfa")}, nil
}

// Path is the file for key.
func (s Store) Path(key string) string {
	return filepath.Join(s.Dir, fileSafe(key)+".json")
}

// Get reads the entry for key. ok is false when there is none usable: the
// file is missing, unreadable, not a regular file, writable by others,
// too large, or not a complete response. Validity in time is left to the
// caller (Entry.Valid).
func (s Store) Get(key string) (e Entry, ok bool) {
	path := s.Path(key)
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxFileSize || !trusted(fi) {
		return Entry{}, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Entry{}, false
	}
	e, err = Unmarshal(data)
	if err != nil {
		return Entry{}, false
	}
	e.Written = fi.ModTime()
	return e, true
}

// Put writes the entry for key atomically, with mode 0600 in a 0700
// folder.
func (s Store) Put(key string, e Entry) error {
	data, err := e.Marshal()
	if err != nil {
		return err
	}
	return WriteFile(s.Path(key), data)
}

// Delete removes the entry for key, if any.
func (s Store) Delete(key string) error {
	err := os.Remove(s.Path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
