package session

import (
	"strings"
	"time"
)

// The variables that tune the prompt hook, and their defaults. The
// defaults are written into the hook scripts too, so that the shells and
// Go agree.
const (
	WarnBeforeVar    = "AWSENV_WARN_BEFORE"
	RefreshBeforeVar = "AWSENV_REFRESH_BEFORE"
	AutoRefreshVar   = "AWSENV_AUTO_REFRESH"
	OnExpiryVar      = "AWSENV_ON_EXPIRY"
	PromptVar        = "AWSENV_PROMPT"
	BackoffVar       = "AWSENV_REFRESH_BACKOFF"

	DefaultWarnBefore     = 10 * time.Minute
	DefaultRefreshBefore  = 5 * time.Minute
	DefaultRefreshTimeout = 5 * time.Second
	// A failed auto-refresh is tried again after AWSENV_REFRESH_BACKOFF,
	// then twice as long each time, never longer than MaxBackoff apart.
	DefaultBackoff = time.Minute
	MaxBackoff     = 15 * time.Minute
)

// RefreshWindow is the refresh window the hook uses: window, the seconds
// of AWSENV_REFRESH_BEFORE, unless it is not shorter than session, the
// length in seconds of the last session a refresh fetched (0: none yet);
// then half the session, so that new credentials are outside it and each
// session is refreshed once, not at every prompt.
func RefreshWindow(window, session int64) int64 {
	if session > 0 && window >= session {
		return session / 2
	}
	return window
}

// Backoff is the wait in seconds after the nth failed refresh in a row:
// AWSENV_REFRESH_BACKOFF (at least a second), doubled for each failure
// before, at most MaxBackoff.
func Backoff(getenv func(string) string, n int) int64 {
	d, most := max(windowSecs(getenv, BackoffVar, DefaultBackoff), 1), int64(MaxBackoff/time.Second)
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// ParseWindow reads AWSENV_WARN_BEFORE and AWSENV_REFRESH_BEFORE: whole
// seconds ("600"), or Go-style hours, minutes and seconds in that order
// ("10m", "90s", "1h30m"), each number at most 9 digits. Fractions and
// other units are not accepted, because the shells parse the same grammar
// with their own arithmetic. Anything else, and "", means def.
func ParseWindow(s string, def time.Duration) time.Duration {
	if s == "" {
		return def
	}
	if n, ok := digits(s); ok {
		return time.Duration(n) * time.Second
	}
	var total int64
	next := 0 // units must come in the order h, m, s, each at most once
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return def
		}
		n, ok := digits(s[:i])
		u := strings.IndexByte("hms"[next:], s[i])
		if !ok || u < 0 {
			return def
		}
		total += n * []int64{3600, 60, 1}[next+u]
		next += u + 1
		s = s[i+1:]
	}
	return time.Duration(total) * time.Second
}

func windowSecs(getenv func(string) string, name string, def time.Duration) int64 {
	return int64(ParseWindow(getenv(name), def) / time.Second)
}
