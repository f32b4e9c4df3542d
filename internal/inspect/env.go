package inspect

import (
	"fmt"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

// Shell is what the credential variables of this process's environment
// say, with nothing secret kept.
type Shell struct {
	AccessKeyID   string // the full id: callers mask it before showing it
	HasSecret     bool
	SecretLen     int
	HasToken      bool
	SecurityToken string // "", "same" (as AWS_SESSION_TOKEN) or "different"
	// Expires is the earliest of AWS_CREDENTIAL_EXPIRATION and
	// AWS_SESSION_EXPIRATION; ExpiresVar names it. ExpiresBad holds a
	// value that is not a time.
	Expires    time.Time
	ExpiresVar string
	ExpiresBad string

	AwsenvProfile string // AWSENV_PROFILE: awsenv exported these
	Profile       string // AWS_PROFILE
	Region        string
	RegionVar     string
	// Tool names another tool that left its marks, e.g. "aws-vault".
	Tool string
}

// ReadShell reads the variables through getenv (os.Getenv in the CLI).
func ReadShell(getenv func(string) string) Shell {
	s := Shell{
		AccessKeyID:   getenv(creds.AccessKeyID),
		HasSecret:     getenv(creds.SecretAccessKey) != "",
		SecretLen:     len(getenv(creds.SecretAccessKey)),
		HasToken:      getenv(creds.SessionToken) != "",
		AwsenvProfile: getenv(creds.AwsenvProfile),
		Profile:       getenv(creds.Profile),
	}
	if st := getenv(creds.SecurityToken); st != "" {
		s.SecurityToken = "different"
		if st == getenv(creds.SessionToken) {
			s.SecurityToken = "same"
		}
	}
	for _, name := range []string{creds.CredentialExpiration, creds.SessionExpiration} {
		v := getenv(name)
		if v == "" {
			continue
		}
		t, ok := ParseTime(v)
		if !ok {
			s.ExpiresBad, s.ExpiresVar = v, name
			continue
		}
		if s.Expires.IsZero() || t.Before(s.Expires) {
			s.Expires, s.ExpiresVar = t, name
		}
	}
	for _, name := range []string{creds.Region, creds.DefaultRegion} {
		if v := getenv(name); v != "" {
			s.Region, s.RegionVar = v, name
			break
		}
	}
	for _, t := range []struct{ v, tool string }{
		{"AWS_VAULT", "aws-vault"}, {"AWSUME_PROFILE", "awsume"},
		{"GRANTED_AWS_ROLE", "granted"}, {"GRANTED_SSO", "granted"}, {"AWS_SSO_PROFILE", "aws-sso-util"},
	} {
		if getenv(t.v) != "" {
			s.Tool = t.tool + " (" + t.v + ")"
			break
		}
	}
	return s
}

// HasKeys reports whether any credential variable is set.
func (s Shell) HasKeys() bool {
	return s.AccessKeyID != "" || s.HasSecret || s.HasToken || s.SecurityToken != ""
}

// SetByAwsenv reports whether awsenv exported the credentials in this shell:
// AWSENV_PROFILE is set and AWS_PROFILE, if set, agrees with it.
func (s Shell) SetByAwsenv() bool {
	return s.AwsenvProfile != "" && (s.Profile == "" || s.Profile == s.AwsenvProfile)
}

// ParseTime reads the timestamps found in the variables and caches:
// RFC 3339, Python's isoformat (+00:00) and the "2019-11-14T04:05:45UTC"
// of older SSO token caches.
func ParseTime(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05MST", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Left describes the time until t, such as "42m left" or "expired 3m ago".
func Left(t, now time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "expired " + roundDuration(-d) + " ago"
	}
	return roundDuration(d) + " left"
}

func roundDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		switch {
		case h == 0:
			return fmt.Sprintf("%dm", m)
		case m == 0:
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
	return fmt.Sprintf("%dd", int(d.Round(24*time.Hour)/(24*time.Hour)))
}
