// Package creds holds a set of AWS credentials and the environment
// variables that carry them between awsenv and the shell.
package creds

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

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

// ForeignVars are left behind by awsenv's neighbours (and by awsenv's own
// profile and region choices); `clear --all` removes them because SDKs and
// prompts read them as if they were current.
var ForeignVars = []string{
	Profile, DefaultProfile, Region, DefaultRegion,
	"AWS_VAULT", "AWS_VAULT_BACKEND", "AWSUME_PROFILE", "AWSUME_EXPIRATION",
	"AWSUME_DEFAULT_PROFILE", "AWSUME_COMMAND", "AWS_SSO_PROFILE",
	"GRANTED_SSO", "GRANTED_SSO_START_URL", "GRANTED_SSO_REGION",
	"GRANTED_SSO_ACCOUNT_ID", "GRANTED_SSO_ROLE_NAME", "GRANTED_AWS_ROLE",
}

// Changes returns the statements that make a shell use c: credentials,
// their expiry under both names prompt tools and SDKs read, region, and
// the profile name, while removing what would contradict them.
func (c Credentials) Changes() []shell.Change {
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
	return append(ch,
		shell.Set(AwsenvProfile, c.Profile),
		shell.Set(Profile, c.Profile),
		shell.Unset(DefaultProfile),
		shell.Unset(SecurityToken),
	)
}

// ClearChanges returns the statements of `awsenv clear`.
func ClearChanges(all bool) []shell.Change {
	names := append(append([]string{}, CredentialVars...), StateVars...)
	if all {
		names = append(names, ForeignVars...)
	}
	ch := make([]shell.Change, len(names))
	for i, n := range names {
		ch[i] = shell.Unset(n)
	}
	return ch
}

// Env returns c as NAME=value pairs in the order of Changes, without the
// removals: for `exec` and the env and dotenv formats.
func (c Credentials) Env() [][2]string {
	var out [][2]string
	for _, ch := range c.Changes() {
		if !ch.Unset {
			out = append(out, [2]string{ch.Name, ch.Value})
		}
	}
	return out
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
		b, err := json.MarshalIndent(p, "", "  ")
		return string(b) + "\n", err
	case "json":
		m := map[string]string{}
		for _, kv := range c.Env() {
			m[kv[0]] = kv[1]
		}
		b, err := json.MarshalIndent(m, "", "  ")
		return string(b) + "\n", err
	case "env", "dotenv":
		var b strings.Builder
		for _, kv := range c.Env() {
			v, err := formatValue(format, kv[1])
			if err != nil {
				return "", fmt.Errorf("the value of %s %w", kv[0], err)
			}
			b.WriteString(kv[0] + "=" + v + "\n")
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown format %q: use env, dotenv, json or process", format)
}

var dotenvQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, `$`, `\$`)

// formatValue writes a value for an env file: `env` is the literal form
// docker --env-file and systemd read (so it cannot hold a line break);
// `dotenv` double-quotes with the escapes dotenv readers share.
func formatValue(format, v string) (string, error) {
	if strings.IndexByte(v, 0) >= 0 {
		return "", shell.ErrNUL
	}
	if format == "env" {
		if strings.ContainsAny(v, "\r\n") {
			return "", fmt.Errorf("contains a line break, which the env format cannot hold: use --format dotenv or json")
		}
		return v, nil
	}
	return `"` + dotenvQuoter.Replace(v) + `"`, nil
}
