// Package cache keeps temporary credentials on disk: assumed-role
// credentials in the AWS CLI's own cache (~/.aws/cli/cache), in its file
// names and format, so that the CLI and awsenv reuse each other's
// sessions; and awsenv's MFA sessions under ${XDG_CACHE_HOME:-~/.cache}/awsenv.
//
// A file that
// cannot be read, parsed or trusted is treated as missing, never as an
// error, and is replaced by the next write. Files are opened without
// following links and judged by their open descriptor; a cache folder
// that anyone but this user (or root) could change, or one reached
// through such a folder, is neither read nor written (see CheckFolder).
package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/session"
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
	// ProviderType is "sso" for role credentials from IAM Identity Center,
	// as the AWS CLI v2 writes them (botocore's SSOCredentialFetcher); ""
	// for an STS response, which carries none.
	ProviderType string
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
	ProviderType    string    `json:"ProviderType,omitempty"`
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
	f.ProviderType = e.ProviderType
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
	exp, ok := session.ParseExpiry(s)
	if !ok {
		// Never the value: a corrupt file can hold anything there, a
		// secret too.
		return Entry{}, errors.New("expiration: not a timestamp the AWS CLI writes")
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
		ProviderType:    f.ProviderType,
	}, nil
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
	return Store{Dir: MFADir(d)}, nil
}

// Path is the file for key.
func (s Store) Path(key string) string {
	return filepath.Join(s.Dir, fileSafe(key)+".json")
}

// Get reads the entry for key. ok is false when there is none usable: the
// folder is one others can change (see CheckFolder), or the file is
// missing, a link, not a regular file, not this user's, writable by
// others, larger than 1 MiB, or not a complete response. The file is
// opened once and judged by its open descriptor, so that it cannot be
// swapped between the check and the read. Validity in time is left to the
// caller (Entry.Valid).
func (s Store) Get(key string) (e Entry, ok bool) {
	if CheckFolder(s.Dir) != nil {
		return Entry{}, false
	}
	data, fi, err := readFile(s.Path(key))
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
// folder, and refuses a folder others can change (see MkdirPrivate).
func (s Store) Put(key string, e Entry) error {
	data, err := e.Marshal()
	if err != nil {
		return err
	}
	return WriteFile(s.Path(key), data)
}

// Delete removes the entry for key, if any, in a folder awsenv trusts.
// Removing a name never follows a link.
func (s Store) Delete(key string) error {
	if err := CheckFolder(s.Dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	err := os.Remove(s.Path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
