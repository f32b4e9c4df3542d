package session

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var rfc3339 = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-5][0-9])$`)

// FuzzParseExpiry holds ParseExpiry to the time package both ways: what
// time.Parse reads as RFC 3339 it reads the same, and what it reads is,
// once written the strict way, what time.Parse reads. FormatLeft and Left
// never panic on what it returns.
func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"2026-11-25T20:42:00Z", "2026-11-25t20:42:00.5+01:00", "2024-02-29 23:59:59-0130", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T08:54:59", "9999-12-31T23:59:59.999999999UTC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseExpiry(s)
		// time.Parse also takes one-digit hours, a comma before the
		// fraction and zone offsets of 60 minutes or more, which RFC 3339
		// does not; compare on RFC 3339's shape.
		if want, err := time.Parse(time.RFC3339, s); err == nil && rfc3339.MatchString(s) {
			if !ok || !got.Equal(want) {
				t.Fatalf("ParseExpiry(%q) = %v, %v; time.Parse says %v", s, got, ok, want)
			}
		}
		if !ok {
			return
		}
		for _, now := range []time.Time{time.Unix(0, 0), time.Unix(1<<40, 0), time.Unix(-1<<40, 0)} {
			if FormatLeft(SecondsLeft(got, now)) == "" || Left(got, now) == "" {
				t.Fatalf("empty time left for %q", s)
			}
		}
		strict := []byte(s)
		strict[10] = 'T'
		zone := s[19:]
		if i := strings.IndexAny(zone, "ZzU+-"); i >= 0 {
			zone = zone[i:]
		} else {
			zone = ""
		}
		frac := strings.TrimSuffix(s[19:], zone)
		switch {
		case zone == "" || zone == "z" || zone == "UTC":
			zone = "Z"
		case len(zone) == 5:
			zone = zone[:3] + ":" + zone[3:]
		}
		canon := string(strict[:19]) + frac + zone
		want, err := time.Parse(time.RFC3339, canon)
		if err != nil || !want.Equal(got) {
			t.Fatalf("ParseExpiry(%q) = %v, but time.Parse(%q) = %v, %v", s, got, canon, want, err)
		}
	})
}
