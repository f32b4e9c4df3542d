package session

import (
	"strconv"
	"time"
)

// ParseExpiry reads the expiry of a set of credentials as the SDKs and
// tools write it into AWS_CREDENTIAL_EXPIRATION and cache files:
//
//	YYYY-MM-DD[T|t| ]hh:mm:ss[.fraction][Z|z|UTC|+hh:mm|-hh:mm|+hhmm|-hhmm]
//
// with real calendar dates. A missing zone means UTC, as the README says:
// the SDKs write one, some scripts do not. "UTC" is what botocore's
// strftime('%Y-%m-%dT%H:%M:%S%Z') writes in older caches. The result is in UTC and
// keeps the fraction; the hook scripts parse the same grammar with their
// own arithmetic and drop the fraction, which Unix does too.
func ParseExpiry(s string) (time.Time, bool) {
	secs, nanos, ok := parseExpiry(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(secs, nanos).UTC(), true
}

func parseExpiry(s string) (secs, nanos int64, ok bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return 0, 0, false
	}
	if c := s[10]; c != 'T' && c != 't' && c != ' ' {
		return 0, 0, false
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
		return 0, 0, false
	}
	if d > daysIn(y, mo) {
		return 0, 0, false
	}
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if i <= 9 {
				nanos = nanos*10 + int64(rest[i]-'0')
			}
			i++
		}
		if i == 1 {
			return 0, 0, false
		}
		for n := i; n <= 9; n++ {
			nanos *= 10
		}
		rest = rest[i:]
	}
	var off int64
	switch {
	case rest == "" || rest == "Z" || rest == "z" || rest == "UTC":
	case rest[0] == '+' || rest[0] == '-':
		z := rest[1:]
		if len(z) == 5 && z[2] == ':' {
			z = z[:2] + z[3:]
		}
		if len(z) != 4 {
			return 0, 0, false
		}
		oh, ok1 := digits(z[:2])
		om, ok2 := digits(z[2:])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, 0, false
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return 0, 0, false
	}
	return daysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + se - off, nanos, true
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

// daysFromCivil counts days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (Howard Hinnant's algorithm). The bash and zsh hooks
// do the same arithmetic, which spares them a date(1) process.
func daysFromCivil(y, m, d int64) int64 {
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

// SecondsLeft is the time from now to expires the way every part of
// awsenv counts it, the shell hooks included: whole Unix seconds on both
// sides, so that at the same second all of them show the same digits.
// It is negative once expired and never overflows: Unix seconds of any
// time.Time fit an int64 with room to spare for one subtraction, and the
// rare pair that would not is clamped.
func SecondsLeft(expires, now time.Time) int64 {
	e, n := expires.Unix(), now.Unix()
	switch {
	case n < 0 && e > maxSecs+n:
		return maxSecs
	case n > 0 && e < minSecs+n:
		return minSecs
	}
	return e - n
}

const (
	maxSecs = int64(^uint64(0) >> 1)
	minSecs = -maxSecs - 1
)

// FormatLeft writes secs, a time left, the one way awsenv shows it:
// 45s, 42m, 1h05m, 2d03h, and "expired" at zero or less. It rounds down,
// as a countdown does: 42m means at least 42 and less than 43 minutes.
func FormatLeft(secs int64) string {
	if secs <= 0 {
		return "expired"
	}
	return formatSpan(secs)
}

// Left is FormatLeft as a phrase, for status, list and doctor: "42m left",
// or "expired 5m ago" with the time since the expiry rounded down the same
// way.
func Left(expires, now time.Time) string {
	secs := SecondsLeft(expires, now)
	if secs > 0 {
		return formatSpan(secs) + " left"
	}
	if secs == 0 {
		return "expired just now"
	}
	if secs == minSecs {
		secs++ // -minSecs does not fit
	}
	return "expired " + formatSpan(-secs) + " ago"
}

// formatSpan writes secs > 0.
func formatSpan(secs int64) string {
	switch {
	case secs < 60:
		return strconv.FormatInt(secs, 10) + "s"
	case secs < 3600:
		return strconv.FormatInt(secs/60, 10) + "m"
	case secs < 86400:
		return strconv.FormatInt(secs/3600, 10) + "h" + two(secs/60%60) + "m"
	}
	return strconv.FormatInt(secs/86400, 10) + "d" + two(secs/3600%24) + "h"
}

func two(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
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
