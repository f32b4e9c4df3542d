package cli

import (
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

func TestSummary(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 43, 0, 0, time.Local)
	for _, tc := range []struct {
		verb string
		cr   creds.Credentials
		want string
	}{
		{"", creds.Credentials{Profile: "project1", Account: "123456789012", Role: "Prod-Role", Region: "eu-west-1", Expires: now.Add(59*time.Minute + 30*time.Second)},
			"awsenv: project1 → 123456789012 Prod-Role (eu-west-1), expires 10:42 (59m)"},
		{"", creds.Credentials{Profile: "static"}, "awsenv: static → the profile's keys, long-term keys that do not expire"},
		{"refreshed ", creds.Credentials{Profile: "sso", Account: "111122223333", Role: "ReadOnly", Expires: now.Add(8 * time.Hour)},
			"awsenv: refreshed sso → 111122223333 ReadOnly, expires 17:43 (8h00m)"},
	} {
		if got := summary(tc.verb, tc.cr, now); got != tc.want {
			t.Errorf("summary = %q\nwant      %q", got, tc.want)
		}
	}
}
