package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// setSession gives the test process a shell's credential variables.
func setSession(t *testing.T, expiry string) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_ACCESS_KEY_ID":           "ASIAEXAMPLEEXAMPLE00",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_SESSION_TOKEN":           "token",
		"AWSENV_PROFILE":              "project1",
		"AWS_PROFILE":                 "project1",
		"AWS_REGION":                  "eu-west-1",
		"AWS_CREDENTIAL_EXPIRATION":   expiry,
		"AWS_SESSION_EXPIRATION":      "",
		"AWSENV_WARN_BEFORE":          "",
		"AWSENV_REFRESH_BEFORE":       "",
		"AWSENV_AUTO_REFRESH":         "",
		"AWSENV_ON_EXPIRY":            "",
		"AWS_VAULT":                   "",
	} {
		t.Setenv(k, v)
	}
}

func fixClock(t *testing.T, at time.Time) {
	t.Helper()
	saved := clock
	clock = func() time.Time { return at }
	t.Cleanup(func() { clock = saved })
}

func runStatus(t *testing.T) (string, error) {
	t.Helper()
	var out, errb strings.Builder
	err := (&StatusCmd{}).Run(&App{Stdout: &out, Stderr: &errb})
	return out.String(), err
}

// TestTimeLeftAgrees holds prompt, prompt-hook and status to the same
// figure at the same second, for the three ways an expiry is written.
// They used to disagree: status did not read a time without a zone at
// all, and rounded where the prompt counted down.
func TestTimeLeftAgrees(t *testing.T) {
	for _, tc := range []struct {
		expiry string
		at     time.Time
		want   string
	}{
		{"2026-12-01T08:54:59", time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC), "42m"},         // no zone: UTC
		{"2026-12-01T08:54:59Z", time.Date(2026, 12, 1, 8, 13, 29, 600e6, time.UTC), "41m"},    // 41m29.4s: down, not to the nearest
		{"2026-12-01T10:24:59+01:30", time.Date(2026, 12, 1, 7, 49, 30, 0, time.UTC), "1h05m"}, // 1h05m29s
		{"2026-12-01T08:54:59.999Z", time.Date(2026, 12, 1, 8, 54, 0, 999e6, time.UTC), "59s"}, // fractions on both sides dropped
		{"2026-12-03T10:54:59-00:00", time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC), "2d02h"}, // 2d02h42m
		{"2026-12-01T08:54:59Z", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), "expired"},
	} {
		t.Run(tc.expiry, func(t *testing.T) {
			setSession(t, tc.expiry)
			fixClock(t, tc.at)

			var out, errb strings.Builder
			if err := (&PromptCmd{Format: DefaultPromptFormat, Color: "never"}).Run(&App{Stdout: &out, Stderr: &errb}); err != nil {
				t.Fatal(err)
			}
			if want := "project1 " + tc.want + "\n"; out.String() != want {
				t.Errorf("prompt = %q, want %q", out.String(), want)
			}

			out.Reset()
			if code := promptHook([]string{"fish", "0", "0", "", ""}, &out, &errb); code != 0 {
				t.Fatalf("prompt-hook: status %d: %s", code, errb.String())
			}
			if want := "set -gx AWSENV_PROMPT 'project1 " + tc.want + "';\n"; !strings.HasPrefix(out.String(), want) {
				t.Errorf("prompt-hook = %q, want it to begin %q", out.String(), want)
			}

			status, err := runStatus(t)
			want := "(" + tc.want + " left)"
			if tc.want == "expired" {
				want = "(expired 5m ago)"
				if err == nil {
					t.Error("status of expired credentials succeeded")
				}
			} else if err != nil {
				t.Error(err)
			}
			if !strings.Contains(status, want) {
				t.Errorf("status does not say %q:\n%s", want, status)
			}
		})
	}
}

// TestStatusExpiry covers values the old status misreported: one that is
// not a time is named, not taken for "no expiry", and far-off or ancient
// ones neither wrap around nor saturate into the wrong sign.
func TestStatusExpiry(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC)
	for _, tc := range []struct {
		expiry  string
		want    string
		expired bool
	}{
		{"tomorrow", `unknown: AWS_CREDENTIAL_EXPIRATION="tomorrow" is not a time`, false},
		{"2026-12-01T08:54:59+24:00", `is not a time`, false},
		{"9999-12-31T23:59:59Z", "(2912108d15h left)", false},
		{"0000-01-01T00:00:00Z", "(expired 740316d08h ago)", true},
		{"0001-01-01T00:00:00Z", "(expired 739950d08h ago)", true}, // Go's zero time is still a time
	} {
		t.Run(tc.expiry, func(t *testing.T) {
			setSession(t, tc.expiry)
			fixClock(t, at)
			out, err := runStatus(t)
			if !strings.Contains(out, tc.want) {
				t.Errorf("status does not say %q:\n%s", tc.want, out)
			}
			if (err != nil) != tc.expired {
				t.Errorf("status error %v; want one: %v", err, tc.expired)
			}
		})
	}
}
