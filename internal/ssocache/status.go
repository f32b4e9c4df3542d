package ssocache

import (
	"errors"
	"io/fs"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/cache"
)

// Status is what `awsenv status` and `doctor` may show of a login: times
// and facts, never a token.
type Status struct {
	Session Session
	// Path is the token file.
	Path string
	// LoggedIn: the file is there and can be used.
	LoggedIn bool
	// AccessTokenExpires is the access token's end.
	AccessTokenExpires time.Time
	// Renewable: it holds a refresh token and a registration valid now,
	// so awsenv renews it silently until SessionEnd.
	Renewable bool
	// RegistrationExpires is the client registration's end (zero when the
	// token holds none).
	RegistrationExpires time.Time
	// SessionEnd is when a new login becomes necessary as far as the file
	// tells (Token.SessionEnd).
	SessionEnd time.Time
	// OtherStartURL is set when the token was made for another start URL
	// than the session's now: it will not be used.
	OtherStartURL string
	// Err is why a file that is there cannot be used.
	Err error
}

// Status reads the login of sess as of now.
func (s Store) Status(sess Session, now time.Time) Status {
	st := Status{Session: sess, Path: s.TokenPath(sess)}
	tok, err := s.LoadToken(sess)
	if errors.Is(err, fs.ErrNotExist) {
		return st
	}
	if err != nil {
		st.Err = err
		return st
	}
	st.LoggedIn = true
	st.AccessTokenExpires = tok.ExpiresAt
	st.Renewable = tok.Renewable(now)
	st.RegistrationExpires = tok.RegistrationExpiresAt
	st.SessionEnd = tok.SessionEnd(now)
	if tok.StartURL != "" && tok.StartURL != sess.StartURL {
		st.OtherStartURL = tok.StartURL
		st.LoggedIn = false
	}
	return st
}

// RoleCacheKeys are the cache keys (cache.SSOKey) of the role credentials
// cached for the profiles of c that log in with s: what a logout removes
// from the AWS CLI's cache and awsenv's.
func RoleCacheKeys(c *awsconfig.Config, s Session) []string {
	var keys []string
	for _, p := range SessionProfiles(c, s) {
		keys = append(keys, cache.SSOKey(p))
	}
	return keys
}
