package shellhook

import (
	"strconv"
	"strings"
	"time"
)

// Defaults of the variables the hook reads. They are written into the
// scripts too, so that the shells and Go agree.
const (
	DefaultWarnBefore     = 10 * time.Minute
	DefaultRefreshBefore  = 5 * time.Minute
	DefaultRefreshTimeout = 5 * time.Second
)

// The phases of a set of credentials, as the hook sees them at a prompt.
const (
	PhaseNone    = ""        // no credentials in the environment
	PhaseNoExp   = "static"  // credentials without a readable expiry
	PhaseFresh   = "ok"      // more than AWSENV_WARN_BEFORE left
	PhaseSoon    = "soon"    // within AWSENV_WARN_BEFORE
	PhaseExpired = "expired" // no time left
)

// State is what the hook knows at one prompt. It is computed from the
// environment alone: AWS_CREDENTIAL_EXPIRATION is the source of truth,
// whoever set it (awsenv, aws-vault, granted or a person).
type State struct {
	Profile string // the name shown in the prompt
	Raw     string // AWS_CREDENTIAL_EXPIRATION as found
	Expires int64  // Unix seconds; valid when Phase is ok, soon or expired
	Left    int64  // seconds left; <= 0 once expired
	Phase   string
	// Managed is AWSENV_PROFILE: the profile `awsenv refresh` renews.
	Managed string
}

// Current reads the state from getenv at now (Unix seconds).
func Current(getenv func(string) string, now int64) State {
	if getenv("AWS_ACCESS_KEY_ID") == "" {
		return State{Phase: PhaseNone}
	}
	s := State{Profile: ProfileName(getenv), Managed: getenv("AWSENV_PROFILE"), Raw: getenv("AWS_CREDENTIAL_EXPIRATION")}
	exp, ok := ParseExpiry(s.Raw)
	if !ok {
		s.Phase = PhaseNoExp
		return s
	}
	s.Expires, s.Left = exp, exp-now
	warn := ParseWindow(getenv("AWSENV_WARN_BEFORE"), DefaultWarnBefore)
	switch {
	case s.Left <= 0:
		s.Phase = PhaseExpired
	case s.Left <= int64(warn/time.Second):
		s.Phase = PhaseSoon
	default:
		s.Phase = PhaseFresh
	}
	return s
}

// ProfileName is the name the prompt shows: awsenv's profile, else
// aws-vault's, else AWS_PROFILE, else "aws".
func ProfileName(getenv func(string) string) string {
	for _, name := range []string{"AWSENV_PROFILE", "AWS_VAULT", "AWS_PROFILE"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return "aws"
}

// Prompt is the AWSENV_PROMPT segment: "project1 42m", "project1 expired",
// "project1" when the expiry is unknown, "" without credentials.
func (s State) Prompt() string {
	switch s.Phase {
	case PhaseNone:
		return ""
	case PhaseNoExp:
		return s.Profile
	}
	return s.Profile + " " + FormatLeft(s.Left)
}

// FormatLeft writes a time left the way the prompt shows it, rounded
// down: 45s, 42m, 1h05m; "expired" at zero or less.
func FormatLeft(secs int64) string {
	switch {
	case secs <= 0:
		return "expired"
	case secs < 60:
		return strconv.FormatInt(secs, 10) + "s"
	case secs < 3600:
		return strconv.FormatInt(secs/60, 10) + "m"
	}
	m := secs / 60 % 60
	pad := ""
	if m < 10 {
		pad = "0"
	}
	return strconv.FormatInt(secs/3600, 10) + "h" + pad + strconv.FormatInt(m, 10) + "m"
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

// digits parses 1 to 9 decimal digits.
func digits(s string) (int64, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// ParseExpiry reads an RFC 3339 timestamp as the shell scripts do, and
// returns it in Unix seconds (fractions dropped). Accepted:
//
//	YYYY-MM-DD[T|t| ]hh:mm:ss[.fraction][Z|z|+hh:mm|-hh:mm|+hhmm|-hhmm]
//
// with real calendar dates; a missing zone means UTC, as botocore and
// aws-vault never write one but some scripts do.
func ParseExpiry(s string) (int64, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	if c := s[10]; c != 'T' && c != 't' && c != ' ' {
		return 0, false
	}
	num := func(i, n int) int64 {
		v, ok := digits(s[i : i+n])
		if !ok {
			return -1
		}
		return v
	}
	y, mo, d, h, mi, se := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
		return 0, false
	}
	if d > daysIn(y, mo) {
		return 0, false
	}
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return 0, false
		}
		rest = rest[i:]
	}
	var off int64
	switch {
	case rest == "" || rest == "Z" || rest == "z":
	case rest[0] == '+' || rest[0] == '-':
		z := rest[1:]
		if len(z) == 5 && z[2] == ':' {
			z = z[:2] + z[3:]
		}
		if len(z) != 4 {
			return 0, false
		}
		oh, ok1 := digits(z[:2])
		om, ok2 := digits(z[2:])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return 0, false
	}
	return DaysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + se - off, true
}

func daysIn(y, m int64) int64 {
	if m == 2 {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + (m+m/8)%2
}

// DaysFromCivil counts days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (Howard Hinnant's algorithm). The bash and zsh hooks
// do the same arithmetic, which spares them a date(1) process.
func DaysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
