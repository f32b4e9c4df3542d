// Package creds holds a set of AWS credentials and the environment
// variables that carry them between awsenv and the shell.
package creds

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awsenv/awsenv/internal/shell"
)

// Credentials are what `awsenv use` exports.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Expires is zero for keys that do not expire.
	Expires time.Time
	Region  string
	Profile string
	// Account and Role say whom the credentials act as, when the profile
	// or the answer tells: for what awsenv says after `use`.
	Account, Role string
}

// Request says which credentials to fetch. It is the contract between the
// CLI and the part of awsenv that talks to AWS.
type Request struct {
	Profile  string
	Region   string
	Duration time.Duration // 0: the profile's duration_seconds, else 1h
	MFAToken string
	Refresh  bool          // ignore cached credentials
	Timeout  time.Duration // for each network call
	// NoPrompt makes a needed MFA code an error instead of a question on
	// the terminal: the prompt hook's refresh must never wait for input.
	NoPrompt bool
	// Started is when the person's command began: a cache entry written
	// since then was fetched for it by another awsenv that held the lock
	// (sixteen shells refreshing at once make one STS call). Zero means
	// when the request is resolved.
	Started time.Time
}

// DefaultDuration is the AWS CLI's session length; the Go SDK's own
// default of 15 minutes would send users back to STS four times an hour.
const DefaultDuration = time.Hour

// The variables awsenv writes and clears.
const (
	AccessKeyID          = "AWS_ACCESS_KEY_ID"
	SecretAccessKey      = "AWS_SECRET_ACCESS_KEY"
	SessionToken         = "AWS_SESSION_TOKEN"
	SecurityToken        = "AWS_SECURITY_TOKEN" // boto2's name; stale copies confuse SDKs
	CredentialExpiration = "AWS_CREDENTIAL_EXPIRATION"
	SessionExpiration    = "AWS_SESSION_EXPIRATION"
	Region               = "AWS_REGION"
	DefaultRegion        = "AWS_DEFAULT_REGION"
	Profile              = "AWS_PROFILE"
	DefaultProfile       = "AWS_DEFAULT_PROFILE"
	AwsenvProfile        = "AWSENV_PROFILE"
)

// TimeFormat is RFC 3339 in UTC, the form the SDKs and prompt tools parse.
const TimeFormat = time.RFC3339

// CredentialVars are the variables that hold credentials: exactly what a
// stale shell must lose.
var CredentialVars = []string{
	AccessKeyID, SecretAccessKey, SessionToken, SecurityToken,
	CredentialExpiration, SessionExpiration,
}

// StateVars are awsenv's own bookkeeping variables, set by `use` and the
// prompt hook.
var StateVars = []string{AwsenvProfile, "AWSENV_PROMPT"}

// ProfileVars name a profile for the SDKs to resolve themselves. Next to
// exported keys they are worse than useless: the AWS SDK for JavaScript v3
// takes AWS_PROFILE over the keys ("Multiple credential sources detected"),
// assumes the role again in every process and cannot ask for an MFA code;
// in a container without ~/.aws every SDK fails with "profile could not be
// found". So `use` removes them, keeping the user's values aside in
// SavedPrefix+name for `clear` to put back.
var ProfileVars = []string{Profile, DefaultProfile}

// SavedPrefix starts the name of the variable that keeps a ProfileVars
// value `use` removed.
const SavedPrefix = "AWSENV_SAVED_"

// ForeignVars are left behind by awsenv's neighbours (and by awsenv's own
// region choices, and older versions' AWS_PROFILE); `clear --all` removes
// them because SDKs and prompts read them as if they were current.
var ForeignVars = []string{
	Profile, DefaultProfile, Region, DefaultRegion,
	"AWS_VAULT", "AWS_VAULT_BACKEND", "AWSUME_PROFILE", "AWSUME_EXPIRATION",
	"AWSUME_DEFAULT_PROFILE", "AWSUME_COMMAND", "AWS_SSO_PROFILE",
	"GRANTED_SSO", "GRANTED_SSO_START_URL", "GRANTED_SSO_REGION",
	"GRANTED_SSO_ACCOUNT_ID", "GRANTED_SSO_ROLE_NAME", "GRANTED_AWS_ROLE",
}

// MaxEnvString is the most bytes one NAME=value string of a process's
// environment can hold, its terminating NUL included: Linux's
// MAX_ARG_STRLEN. A longer variable in a shell makes every command the
// shell starts fail with "Argument list too long".
const MaxEnvString = 131072

// checkEnv refuses a variable no program could be started with. The error
// names the variable, never its value.
func checkEnv(name, value string) error {
	if n := len(name) + len("=") + len(value) + len("\x00"); n > MaxEnvString {
		return fmt.Errorf("%s would be %d bytes long, more than the %d bytes one environment variable can hold (every command started with it would fail with \"Argument list too long\"); let tools fetch the credentials instead: `credential_process = awsenv export --format process PROFILE`, or `awsenv exec --server`", name, n, MaxEnvString)
	}
	return nil
}

// Changes returns the statements that make a shell use c: credentials,
// their expiry under both names prompt tools and SDKs read, region, and
// the profile name for awsenv and prompts, while removing what would
// contradict them. getenv, when not nil, reads the shell's environment, so
// that a profile variable the user set is kept aside rather than lost.
func (c Credentials) Changes(getenv func(string) string) ([]shell.Change, error) {
	ch := []shell.Change{
		shell.Set(AccessKeyID, c.AccessKeyID),
		shell.Set(SecretAccessKey, c.SecretAccessKey),
	}
	if c.SessionToken != "" {
		ch = append(ch, shell.Set(SessionToken, c.SessionToken))
	} else {
		ch = append(ch, shell.Unset(SessionToken))
	}
	if !c.Expires.IsZero() {
		exp := c.Expires.UTC().Format(TimeFormat)
		ch = append(ch, shell.Set(CredentialExpiration, exp), shell.Set(SessionExpiration, exp))
	} else {
		ch = append(ch, shell.Unset(CredentialExpiration), shell.Unset(SessionExpiration))
	}
	if c.Region != "" {
		ch = append(ch, shell.Set(Region, c.Region), shell.Set(DefaultRegion, c.Region))
	}
	ch = append(ch, shell.Set(AwsenvProfile, c.Profile))
	for _, name := range ProfileVars {
		// A value equal to AWSENV_PROFILE is one an older awsenv set.
		if getenv != nil {
			if v := getenv(name); v != "" && v != getenv(AwsenvProfile) {
				ch = append(ch, shell.Set(SavedPrefix+name, v))
			}
		}
		ch = append(ch, shell.Unset(name))
	}
	ch = append(ch, shell.Unset(SecurityToken))
	for _, x := range ch {
		if err := checkEnv(x.Name, x.Value); !x.Unset && err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// ClearChanges returns the statements that remove awsenv's credentials
// from a shell; with all, also what awsenv's neighbours left.
func ClearChanges(all bool) []shell.Change {
	names := append(append([]string{}, CredentialVars...), StateVars...)
	if all {
		names = append(names, ForeignVars...)
		for _, n := range ProfileVars {
			names = append(names, SavedPrefix+n)
		}
	}
	ch := make([]shell.Change, len(names))
	for i, n := range names {
		ch[i] = shell.Unset(n)
	}
	return ch
}

// RestoreChanges returns what `awsenv clear` (without --all) does to the
// profile variables of the shell getenv reads: a value awsenv set (older
// versions exported AWS_PROFILE=AWSENV_PROFILE) would go on making every
// SDK act as the role, so it goes; a value `use` kept aside comes back,
// unless the user has set another since.
func RestoreChanges(getenv func(string) string) []shell.Change {
	var ch []shell.Change
	for _, name := range ProfileVars {
		cur, saved := getenv(name), getenv(SavedPrefix+name)
		ours := cur != "" && cur == getenv(AwsenvProfile)
		switch {
		case saved != "" && (cur == "" || ours):
			ch = append(ch, shell.Set(name, saved))
		case ours:
			ch = append(ch, shell.Unset(name))
		}
		ch = append(ch, shell.Unset(SavedPrefix+name))
	}
	return ch
}

// Env returns c as NAME=value pairs in the order of Changes, without the
// removals: for `exec` and the env, dotenv and json formats.
func (c Credentials) Env() ([][2]string, error) {
	changes, err := c.Changes(nil)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, ch := range changes {
		if !ch.Unset {
			out = append(out, [2]string{ch.Name, ch.Value})
		}
	}
	return out, nil
}

// processOutput is the credential_process format, Version 1.
type processOutput struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
}

// Format renders c for `awsenv export --format`.
func (c Credentials) Format(format string) (string, error) {
	switch format {
	case "process":
		p := processOutput{Version: 1, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
		if !c.Expires.IsZero() {
			p.Expiration = c.Expires.UTC().Format(TimeFormat)
		}
		for name, v := range map[string]string{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey, SessionToken: p.SessionToken} {
			if err := checkJSON(name, v); err != nil {
				return "", err
			}
		}
		b, err := json.MarshalIndent(p, "", "  ")
		return string(b) + "\n", err
	case "json", "env", "dotenv":
	default:
		return "", fmt.Errorf("unknown format %q: use env, dotenv, json or process", format)
	}
	env, err := c.Env()
	if err != nil {
		return "", err
	}
	if format == "json" {
		m := map[string]string{}
		for _, kv := range env {
			if err := checkJSON(kv[0], kv[1]); err != nil {
				return "", err
			}
			m[kv[0]] = kv[1]
		}
		b, err := json.MarshalIndent(m, "", "  ")
		return string(b) + "\n", err
	}
	var b strings.Builder
	for _, kv := range env {
		if err := checkLine(format, kv[0], kv[1]); err != nil {
			return "", err
		}
		b.WriteString(kv[0] + "=" + kv[1] + "\n")
	}
	return b.String(), nil
}

// checkJSON refuses what encoding/json would silently turn into U+FFFD:
// a JSON string holds Unicode text, and a key that is not cannot be
// carried losslessly.
func checkJSON(name, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("the value of %s is not valid UTF-8, which JSON cannot carry unchanged: use --format env", name)
	}
	return nil
}

// DotenvChars are the only bytes a dotenv value may hold besides ASCII
// letters and digits.
const DotenvChars = "_-./+=:,@%"

// checkLine says whether NAME=value, unquoted, is read back byte for byte.
//
// The env format is for docker --env-file, which takes everything after
// the first = literally: any value without a line break or NUL.
//
// The dotenv format is read by readers that disagree about everything
// else: quotes (docker keeps them, the others strip them), escapes (npm
// dotenv decodes only \n, python-dotenv and godotenv more), $ (dotenv-expand,
// godotenv and python-dotenv expand it, `sh -a` too, with $(...) and
// backquotes running commands), # (a comment to some), spaces (trimmed,
// or split words in sh). A value of ASCII letters, digits and DotenvChars
// is the same to all of them unquoted, and every value STS and the config
// files produce for these variables is such a value; anything else is
// refused rather than written so that one reader gets it wrong.
func checkLine(format, name, v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return fmt.Errorf("the value of %s %w", name, shell.ErrNUL)
	}
	if format == "env" {
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("the value of %s contains a line break, which the env format cannot hold: use --format json", name)
		}
		return nil
	}
	for i := 0; i < len(v); i++ {
		if !dotenvByte(v[i]) {
			return fmt.Errorf("the value of %s holds a character other than A-Z, a-z, 0-9 and %s, which dotenv readers (npm dotenv, dotenv-expand, python-dotenv, godotenv, docker --env-file, sh -a) do not all read back unchanged: use --format json, or --format env for docker --env-file", name, DotenvChars)
		}
	}
	return nil
}

func dotenvByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte(DotenvChars, b) >= 0
}
