// Package ssocache reads and writes the IAM Identity Center (SSO) login
// cache, ~/.aws/sso/cache, in the file names and JSON of the AWS CLI v2, so
// that the CLI, the SDKs (Go's ssocreds, JavaScript's fromSSO, botocore)
// and awsenv share one login.
//
// Two kinds of file live there:
//
//   - the token, SHA1(session name, or start URL for a legacy profile).json:
//     startUrl, region, accessToken, expiresAt and, for an sso-session, the
//     registration it was made with (clientId, clientSecret,
//     registrationExpiresAt) and a refreshToken;
//   - the OIDC client registration of `aws sso login`, named by
//     cache.SSORegistrationKey: clientId, clientSecret, expiresAt, scopes
//     and, for the authorization code flow, grantTypes.
//
// Times are written as botocore writes them, "2006-01-02T15:04:05Z", and
// read with cache.ParseTime. Fields this package does not know are kept
// when a file is rewritten: a newer tool's are not lost.
//
// Like internal/cache it links no AWS SDK and no net/http, so that the lean
// awsenv binary can answer status questions from it.
package ssocache

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
	"github.com/awsenv/awsenv/internal/cache"
	"github.com/awsenv/awsenv/internal/session"
)

// timeFormat is botocore's _serialize_utc_timestamp; the Go SDK writes the
// same for a UTC time (time.RFC3339).
const timeFormat = "2006-01-02T15:04:05Z"

// Session is what names a login: an [sso-session NAME] section, or the
// sso_start_url and sso_region of a legacy profile (Name "").
type Session struct {
	Name     string
	StartURL string
	Region   string
	// Scopes is sso_registration_scopes split as the CLI splits it; nil
	// when the session does not set it, which the CLI hashes differently
	// from an empty list.
	Scopes []string
	// Where is the file and line that defines the session, for messages.
	Where string
}

// TokenKey is the token file's cache key.
func (s Session) TokenKey() string { return cache.SSOTokenKey(s.Name, s.StartURL) }

// RegistrationKey is the registration file's cache key.
func (s Session) RegistrationKey() string {
	return cache.SSORegistrationKey(s.StartURL, s.Region, s.Name, s.Scopes)
}

// Label is how messages name the session: "sso-session corp" or the
// start URL.
func (s Session) Label() string {
	if s.Name != "" {
		return "sso-session " + s.Name
	}
	return "SSO start URL " + s.StartURL
}

// ParseScopes is the AWS CLI's parse_sso_registration_scopes: split at
// commas, trimmed, empty ones dropped.
func ParseScopes(raw string) []string {
	out := []string{}
	for _, s := range strings.Split(raw, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// NamedSession reads [sso-session name] from c.
func NamedSession(c *awsconfig.Config, name string) (Session, error) {
	sec, ok := c.SSOSession(name)
	if !ok {
		return Session{}, fmt.Errorf("%s has no [sso-session %s] section", c.ConfigFile, name)
	}
	s := Session{Name: name, Where: fmt.Sprintf("%s:%d", sec.File, sec.Line)}
	s.StartURL = sec.Keys["sso_start_url"].Value
	s.Region = sec.Keys["sso_region"].Value
	if v, ok := sec.Keys["sso_registration_scopes"]; ok {
		s.Scopes = ParseScopes(v.Value)
	}
	var missing []string
	if s.StartURL == "" {
		missing = append(missing, "sso_start_url")
	}
	if s.Region == "" {
		missing = append(missing, "sso_region")
	}
	if missing != nil {
		return Session{}, fmt.Errorf("%s: [sso-session %s] lacks %s", s.Where, name, strings.Join(missing, " and "))
	}
	return s, nil
}

// ProfileSession is the session of SSO profile p: its sso_session, or the
// legacy sso_start_url and sso_region in the profile itself.
func ProfileSession(c *awsconfig.Config, p *awsconfig.Profile) (Session, error) {
	if name := p.Get("sso_session"); name != "" {
		return NamedSession(c, name)
	}
	url, region := p.Get("sso_start_url"), p.Get("sso_region")
	if url == "" || region == "" {
		return Session{}, fmt.Errorf("profile %q is not an SSO profile: it sets neither sso_session nor both sso_start_url and sso_region", p.Name)
	}
	s := Session{StartURL: url, Region: region}
	if len(p.Sections) > 0 {
		s.Where = fmt.Sprintf("%s:%d", p.Sections[0].File, p.Sections[0].Line)
	}
	return s, nil
}

// SessionProfiles returns the profiles of c that log in with s: the role
// credentials cached for them (cache.SSOKey) end with its login.
func SessionProfiles(c *awsconfig.Config, s Session) []*awsconfig.Profile {
	var out []*awsconfig.Profile
	for _, name := range c.Profiles() {
		p, _ := c.Profile(name)
		if p.Get("sso_account_id") == "" && p.Get("sso_role_name") == "" {
			continue
		}
		if s.Name != "" && p.Get("sso_session") == s.Name ||
			s.Name == "" && p.Get("sso_session") == "" && p.Get("sso_start_url") == s.StartURL {
			out = append(out, p)
		}
	}
	return out
}

// Token is a cached SSO login.
type Token struct {
	StartURL    string
	Region      string
	AccessToken string
	ExpiresAt   time.Time
	// The registration the token was made with, and the refresh token;
	// empty for a legacy profile's login, which cannot be renewed.
	ClientID              string
	ClientSecret          string
	RegistrationExpiresAt time.Time
	RefreshToken          string

	// extra holds the fields this package does not know, written back.
	extra map[string]json.RawMessage
}

// Expired reports whether the access token is over at now or ends within
// margin of it.
func (t *Token) Expired(now time.Time, margin time.Duration) bool {
	return !t.ExpiresAt.After(now.Add(margin))
}

// Renewable reports whether the token can be renewed at now without a
// login: it holds a refresh token and a registration that has not expired.
func (t *Token) Renewable(now time.Time) bool {
	return t.RefreshToken != "" && t.ClientID != "" && t.ClientSecret != "" && t.RegistrationExpiresAt.After(now)
}

// SessionEnd is when a new login becomes necessary, as far as the file
// tells: the access token's end for a token that cannot be renewed, the
// registration's end for one that can (IAM Identity Center ends the
// session itself earlier, at its configured length, which no file holds).
func (t *Token) SessionEnd(now time.Time) time.Time {
	if t.Renewable(now) {
		return t.RegistrationExpiresAt
	}
	return t.ExpiresAt
}

var tokenFields = []string{"startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"}

// MarshalJSON writes the CLI's token file.
func (t *Token) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range t.extra {
		m[k] = v
	}
	for _, k := range tokenFields {
		delete(m, k)
	}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("startUrl", t.StartURL)
	put("region", t.Region)
	put("accessToken", t.AccessToken)
	put("expiresAt", formatTime(t.ExpiresAt))
	put("clientId", t.ClientID)
	put("clientSecret", t.ClientSecret)
	put("registrationExpiresAt", formatTime(t.RegistrationExpiresAt))
	put("refreshToken", t.RefreshToken)
	return json.Marshal(m)
}

// UnmarshalJSON reads a token file. accessToken and expiresAt are
// required, as botocore's SSOTokenLoader requires them.
func (t *Token) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	var errs []error
	str := func(k string) string {
		var s string
		if v, ok := raw[k]; ok {
			if err := json.Unmarshal(v, &s); err != nil {
				errs = append(errs, fmt.Errorf("%s is not a string", k))
			}
		}
		return s
	}
	tm := func(k string) time.Time {
		s := str(k)
		if s == "" {
			return time.Time{}
		}
		v, ok := session.ParseExpiry(s)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: not a time", k))
		}
		return v
	}
	*t = Token{
		StartURL:              str("startUrl"),
		Region:                str("region"),
		AccessToken:           str("accessToken"),
		ExpiresAt:             tm("expiresAt"),
		ClientID:              str("clientId"),
		ClientSecret:          str("clientSecret"),
		RegistrationExpiresAt: tm("registrationExpiresAt"),
		RefreshToken:          str("refreshToken"),
		extra:                 raw,
	}
	if t.AccessToken == "" || t.ExpiresAt.IsZero() {
		errs = append(errs, errors.New("no accessToken or expiresAt"))
	}
	return errors.Join(errs...)
}

// Registration is an OIDC client registration.
type Registration struct {
	ClientID     string
	ClientSecret string
	ExpiresAt    time.Time
	Scopes       []string
	// GrantTypes is set by the authorization code flow; the CLI takes a
	// registration without it for a device flow one.
	GrantTypes []string

	extra map[string]json.RawMessage
}

// ForAuthCode reports whether r was registered for the authorization code
// grant (botocore's _is_registration_for_auth_code).
func (r *Registration) ForAuthCode() bool {
	for _, g := range r.GrantTypes {
		if g == "authorization_code" {
			return true
		}
	}
	return false
}

// MarshalJSON writes the CLI's registration file.
func (r *Registration) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range r.extra {
		m[k] = v
	}
	m["clientId"] = r.ClientID
	m["clientSecret"] = r.ClientSecret
	m["expiresAt"] = formatTime(r.ExpiresAt)
	delete(m, "scopes")
	delete(m, "grantTypes")
	if len(r.Scopes) > 0 {
		m["scopes"] = r.Scopes
	}
	if len(r.GrantTypes) > 0 {
		m["grantTypes"] = r.GrantTypes
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a registration file.
func (r *Registration) UnmarshalJSON(data []byte) error {
	var f struct {
		ClientID     string   `json:"clientId"`
		ClientSecret string   `json:"clientSecret"`
		ExpiresAt    string   `json:"expiresAt"`
		Scopes       []string `json:"scopes"`
		GrantTypes   []string `json:"grantTypes"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(data, &raw)
	if f.ClientID == "" || f.ClientSecret == "" {
		return errors.New("no clientId or clientSecret")
	}
	exp, ok := session.ParseExpiry(f.ExpiresAt)
	if !ok {
		return errors.New("expiresAt: not a time")
	}
	*r = Registration{ClientID: f.ClientID, ClientSecret: f.ClientSecret, ExpiresAt: exp, Scopes: f.Scopes, GrantTypes: f.GrantTypes, extra: raw}
	return nil
}

// formatTime writes whole seconds as botocore does; a time read with a
// fraction (the JavaScript SDK writes milliseconds) keeps it, which every
// reader parses, so that a rewrite changes no time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Nanosecond() != 0 {
		return t.UTC().Format("2006-01-02T15:04:05.999999999Z")
	}
	return t.UTC().Format(timeFormat)
}

// Store is an SSO cache folder.
type Store struct {
	Dir string
}

// DirIn is the SSO cache folder for the home folder home. The CLI, botocore
// and the SDKs all expand ~, whatever AWS_CONFIG_FILE says.
func DirIn(home string) string { return filepath.Join(home, ".aws", "sso", "cache") }

// DefaultStore is ~/.aws/sso/cache.
func DefaultStore() (Store, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Store{}, fmt.Errorf("no home folder for the SSO cache: %w", err)
	}
	return Store{Dir: DirIn(home)}, nil
}

// Path is the file for key.
func (s Store) Path(key string) string { return filepath.Join(s.Dir, key+".json") }

// TokenPath is the token file of sess.
func (s Store) TokenPath(sess Session) string { return s.Path(sess.TokenKey()) }

// RegistrationPath is the registration file of sess.
func (s Store) RegistrationPath(sess Session) string { return s.Path(sess.RegistrationKey()) }

// LoadToken reads the token of sess. A missing file is an error that
// wraps fs.ErrNotExist; one that cannot be trusted or parsed is an error
// that names the file and never quotes it.
func (s Store) LoadToken(sess Session) (*Token, error) {
	t := &Token{}
	if err := s.load(s.TokenPath(sess), t); err != nil {
		return nil, err
	}
	return t, nil
}

// SaveToken writes the token of sess atomically, 0600 in a 0700 folder.
func (s Store) SaveToken(sess Session, t *Token) error {
	return s.save(s.TokenPath(sess), t)
}

// LoadRegistration reads the registration of sess.
func (s Store) LoadRegistration(sess Session) (*Registration, error) {
	r := &Registration{}
	if err := s.load(s.RegistrationPath(sess), r); err != nil {
		return nil, err
	}
	return r, nil
}

// SaveRegistration writes the registration of sess.
func (s Store) SaveRegistration(sess Session, r *Registration) error {
	return s.save(s.RegistrationPath(sess), r)
}

// Delete removes the token and the registration of sess and returns the
// files it removed; missing ones are no error.
func (s Store) Delete(sess Session) (removed []string, err error) {
	var errs []error
	for _, p := range []string{s.TokenPath(sess), s.RegistrationPath(sess)} {
		switch err := os.Remove(p); {
		case err == nil:
			removed = append(removed, p)
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
		}
	}
	return removed, errors.Join(errs...)
}

// Lock serialises renewals of sess across processes: IAM Identity Center
// may rotate the refresh token, and two renewals with one refresh token
// would leave one of them with a dead one.
func (s Store) Lock(sess Session, wait time.Duration) (unlock func(), err error) {
	return cache.Store{Dir: s.Dir}.Lock(sess.TokenKey(), wait)
}

func (s Store) load(path string, v json.Unmarshaler) error {
	data, err := cache.ReadFile(path)
	if err != nil {
		return err
	}
	if err := v.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("%s: not an SSO cache file the AWS CLI wrote: %v", path, err)
	}
	return nil
}

func (s Store) save(path string, v json.Marshaler) error {
	data, err := v.MarshalJSON()
	if err != nil {
		return err
	}
	return cache.WriteFile(path, data)
}
