package session

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestParseExpiryMatchesTimePackage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		tm := randomTime(rng)
		s := tm.Format(randomLayout(rng))
		got, ok := ParseExpiry(s)
		want, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("time.Parse(%q): %v", s, err)
		}
		if !ok || !got.Equal(want) {
			t.Fatalf("ParseExpiry(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

func TestParseExpiry(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1970-01-01T00:00:00Z", 0, true},
		{"2026-11-25T20:42:00Z", 1795639320, true},
		{"2026-11-25t20:42:00z", 1795639320, true},
		{"2026-11-25 20:42:00", 1795639320, true}, // no zone: UTC
		{"2026-11-25T21:42:00+01:00", 1795639320, true},
		{"2026-11-25T21:42:00+0100", 1795639320, true},
		{"2026-11-25T20:42:00.999999Z", 1795639320, true},
		{"1969-12-31T23:59:59Z", -1, true},
		{"0000-03-01T00:00:00Z", -62162035200, true},
		{"2024-02-29T00:00:00Z", 1709164800, true},
		{"2023-02-29T00:00:00Z", 0, false},
		{"2100-02-29T00:00:00Z", 0, false},
		{"2026-04-31T00:00:00Z", 0, false},
		{"2026-13-01T00:00:00Z", 0, false},
		{"2026-00-01T00:00:00Z", 0, false},
		{"2026-01-00T00:00:00Z", 0, false},
		{"2026-01-01T24:00:00Z", 0, false},
		{"2026-01-01T00:60:00Z", 0, false},
		{"2026-01-01T00:00:60Z", 0, false},
		{"2026-01-01T00:00:00+24:00", 0, false},
		{"2026-01-01T00:00:00+01:60", 0, false},
		{"2026-01-01T00:00:00.Z", 0, false},
		{"2026-01-01T00:00:00ZZ", 0, false},
		{"2026-01-01T00:00:00+1", 0, false},
		{"2026-01-01", 0, false},
		{"+026-01-01T00:00:00Z", 0, false},
		{"1795639320", 0, false},
		{"", 0, false},
		{"Wed, 25 Nov 2026 20:42:00 GMT", 0, false},
	} {
		got, ok := ParseExpiry(tc.in)
		if ok != tc.ok || (ok && got.Unix() != tc.want) {
			t.Errorf("ParseExpiry(%q) = %d, %v; want %d, %v", tc.in, got.Unix(), ok, tc.want, tc.ok)
		}
	}
}

func TestParseWindow(t *testing.T) {
	def := 7 * time.Second
	for in, want := range map[string]time.Duration{
		"":           def,
		"600":        600 * time.Second,
		"0":          0,
		"10m":        10 * time.Minute,
		"90s":        90 * time.Second,
		"1h30m":      90 * time.Minute,
		"1h2m3s":     time.Hour + 2*time.Minute + 3*time.Second,
		"2h":         2 * time.Hour,
		"1h5s":       time.Hour + 5*time.Second,
		"999999999":  999999999 * time.Second,
		"1000000000": def, // more than 9 digits
		"1.5h":       def,
		"500ms":      def,
		"10M":        def,
		"m":          def,
		"10":         10 * time.Second,
		"5m1h":       def, // out of order
		"1m1m":       def,
		"-5m":        def,
		" 5m":        def,
	} {
		if got := ParseWindow(in, def); got != want {
			t.Errorf("ParseWindow(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestFormatLeft(t *testing.T) {
	for secs, want := range map[int64]string{
		-5: "expired", 0: "expired", 1: "1s", 59: "59s", 60: "1m", 119: "1m",
		2579: "42m", 3599: "59m", 3600: "1h00m", 3900: "1h05m", 3959: "1h05m", 43200: "12h00m",
		86399: "23h59m", 86400: "1d00h", 129600: "1d12h", 183599: "2d02h", 253402300799: "2932896d23h",
		minSecs: "expired", maxSecs: "106751991167300d15h",
	} {
		if got := FormatLeft(secs); got != want {
			t.Errorf("FormatLeft(%d) = %q, want %q", secs, got, want)
		}
	}
}

func TestStep(t *testing.T) {
	const now = 1_800_000_000
	at := func(left int64) string { return time.Unix(now+left, 0).UTC().Format(time.RFC3339) }
	env := func(kv ...string) func(string) string {
		m := map[string]string{"AWS_ACCESS_KEY_ID": "AKIA", "AWSENV_PROFILE": "p1"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name       string
		getenv     func(string) string
		mem        Memory
		auto       bool
		wantPrompt string
		wantMsg    bool
		refresh    bool
		clear      bool
	}{
		{name: "no credentials", getenv: func(string) string { return "" }},
		{name: "no expiry", getenv: env(), wantPrompt: "p1"},
		{name: "bad expiry", getenv: env("AWS_CREDENTIAL_EXPIRATION", "soon"), wantPrompt: "p1"},
		{name: "fresh", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(3000)), wantPrompt: "p1 50m"},
		{name: "soon", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(500)), wantPrompt: "p1 8m", wantMsg: true},
		{name: "soon said", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(500)), mem: Memory{Said: "soon " + at(500)}, wantPrompt: "p1 8m"},
		{name: "soon custom window", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(500), "AWSENV_WARN_BEFORE", "5m"), wantPrompt: "p1 8m"},
		{name: "soon auto", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(500)), wantPrompt: "p1 8m"},
		{name: "refresh due", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(200)), wantPrompt: "p1 3m", refresh: true},
		{name: "refresh off by variable", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(200), "AWSENV_AUTO_REFRESH", "0"), wantPrompt: "p1 3m", wantMsg: true},
		{name: "refresh on by variable", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(200), "AWSENV_AUTO_REFRESH", "1"), wantPrompt: "p1 3m", refresh: true},
		{name: "refresh tried", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(200)), mem: Memory{Tried: "due " + at(200)}, wantPrompt: "p1 3m"},
		{name: "refresh when expired after failure", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(-1)), mem: Memory{Tried: "due " + at(-1)}, wantPrompt: "p1 expired", refresh: true},
		{name: "no refresh without AWSENV_PROFILE", auto: true, getenv: env("AWS_CREDENTIAL_EXPIRATION", at(200), "AWSENV_PROFILE", "", "AWS_VAULT", "v"), wantPrompt: "v 3m", wantMsg: true},
		{name: "expired", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(-10)), wantPrompt: "p1 expired", wantMsg: true},
		{name: "expired said", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(-10)), mem: Memory{Said: "expired " + at(-10)}, wantPrompt: "p1 expired"},
		{name: "expired clear", getenv: env("AWS_CREDENTIAL_EXPIRATION", at(-10), "AWSENV_ON_EXPIRY", "clear"), wantPrompt: "", wantMsg: true, clear: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Step(Read(tc.getenv, time.Unix(now, 0)), tc.getenv, tc.mem, TurnPrompt, tc.auto)
			if a.Prompt != tc.wantPrompt || (a.Message != "") != tc.wantMsg || a.Refresh != tc.refresh || a.Clear != tc.clear {
				t.Errorf("Step = %+v; want prompt %q, message %v, refresh %v, clear %v", a, tc.wantPrompt, tc.wantMsg, tc.refresh, tc.clear)
			}
			// Once only: after a refresh attempt the next step may still
			// speak (the refresh failed), the one after that is silent.
			mem := a.Memory
			if a.Refresh {
				mem = Step(Read(tc.getenv, time.Unix(now, 0)), tc.getenv, mem, TurnRefreshed, tc.auto).Memory
			}
			if again := Step(Read(tc.getenv, time.Unix(now, 0)), tc.getenv, mem, TurnPrompt, tc.auto); again.Message != "" || again.Refresh {
				t.Errorf("next Step = %+v; want no message and no refresh", again)
			}
		})
	}
}

func randomTime(rng *rand.Rand) time.Time {
	// Years 0001..9999, any second.
	secs := rng.Int63n(253402300799+62135596800) - 62135596800
	zone := time.UTC
	if rng.Intn(2) == 0 {
		zone = time.FixedZone("", (rng.Intn(47)-23)*1800)
	}
	return time.Unix(secs, rng.Int63n(1e9)).In(zone)
}

func randomLayout(rng *rand.Rand) string {
	return []string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"}[rng.Intn(3)]
}

func TestNextChange(t *testing.T) {
	const now = 1_800_000_000
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	none := env(nil)
	state := func(left int64) Snapshot {
		return Snapshot{Phase: PhaseFresh, Expires: time.Unix(now+left, 0), Left: left}
	}
	for _, tc := range []struct {
		s      Snapshot
		getenv func(string) string
		want   int64
	}{
		{Snapshot{Phase: PhaseNone}, none, Never},
		{Snapshot{Phase: PhaseNoExp}, none, Never},
		{Snapshot{Phase: PhaseExpired, Expires: time.Unix(now-5, 0), Left: -5}, none, Never},
		{state(2579), none, now + 60}, // 42m59s: shows 41m a minute later
		{state(2520), none, now + 1},  // 42m00s: shows 41m in a second
		{state(30), none, now + 1},    // seconds are shown
		{state(610), none, now + 10},  // the warning window opens at 600
		{state(310), none, now + 10},  // the refresh window opens at 300
		{state(2579), env(map[string]string{"AWSENV_WARN_BEFORE": "2570"}), now + 9},
		{state(86400 + 3600 + 5), none, now + 6},  // 1d01h: shows 1d00h in 6s
		{state(3*86400 + 1800), none, now + 1801}, // 3d00h30m: the hour shown goes down
		{state(86400), none, now + 1},             // 1d00h00m00s: shows 23h59m in a second
	} {
		if got := NextChange(tc.s, tc.getenv, Memory{}); got != tc.want {
			t.Errorf("NextChange(left %d) = now%+d, want now%+d", tc.s.Left, got-now, tc.want-now)
		}
	}
}

func TestLeft(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 12, 59, 900e6, time.UTC)
	for _, tc := range []struct {
		expires time.Time
		want    string
	}{
		{now.Add(42*time.Minute + 100*time.Millisecond), "42m left"}, // 08:54:59.0 against 08:12:59: whole seconds
		{now.Add(42 * time.Minute), "42m left"},
		{now.Add(65*time.Minute + 59*time.Second), "1h05m left"}, // rounded down, as the prompt shows it
		{now.Add(time.Second), "1s left"},
		{now.Add(-100 * time.Millisecond), "expired just now"}, // the same second
		{now.Add(-5*time.Minute - 59*time.Second), "expired 5m ago"},
		{now.Add(-50 * time.Hour), "expired 2d02h ago"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "2912108d15h left"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "expired 740316d08h ago"},
		{time.Unix(1<<62, 0), "53375995562861d23h left"},         // beyond what time.Duration holds
		{time.Unix(-1<<62, 0), "expired 53375995604438d15h ago"}, // no wrap to a time left
	} {
		if got := Left(tc.expires, now); got != tc.want {
			t.Errorf("Left(%v) = %q, want %q", tc.expires, got, tc.want)
		}
	}
}

func TestSecondsLeftClamps(t *testing.T) {
	maxT, minT := time.Unix(maxSecs, 0), time.Unix(minSecs, 0)
	for _, tc := range []struct {
		e, n time.Time
		want int64
	}{
		{maxT, time.Unix(-10, 0), maxSecs},
		{minT, time.Unix(10, 0), minSecs},
		{maxT, time.Unix(10, 0), maxSecs - 10},
		{time.Unix(5, 0), time.Unix(3, 999999999), 2},
	} {
		if got := SecondsLeft(tc.e, tc.n); got != tc.want {
			t.Errorf("SecondsLeft(%d, %d) = %d, want %d", tc.e.Unix(), tc.n.Unix(), got, tc.want)
		}
	}
	if got := Left(minT, time.Unix(10, 0)); !strings.HasPrefix(got, "expired ") {
		t.Errorf("Left(min) = %q", got)
	}
}

func TestRead(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		env    map[string]string
		phase  Phase
		left   int64
		prompt string
		bad    bool
		from   string
	}{
		{"none", map[string]string{}, PhaseNone, 0, "", false, ""},
		{"Z", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:54:59Z"}, PhaseFresh, 2520, "project1 42m", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"no zone is UTC", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:54:59"}, PhaseFresh, 2520, "project1 42m", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"offset", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T10:24:59.75+01:30"}, PhaseFresh, 2520, "project1 42m", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"botocore UTC", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:54:59UTC"}, PhaseFresh, 2520, "project1 42m", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"session expiration only", map[string]string{"AWS_SESSION_EXPIRATION": "2026-12-01T08:17:59Z"}, PhaseSoon, 300, "project1 5m", false, "AWS_SESSION_EXPIRATION"},
		{"credential expiration first", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:54:59Z", "AWS_SESSION_EXPIRATION": "2026-12-01T08:17:59Z"}, PhaseFresh, 2520, "project1 42m", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"garbage", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "tomorrow"}, PhaseNoExp, 0, "project1", true, "AWS_CREDENTIAL_EXPIRATION"},
		{"year 9999", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "9999-12-31T23:59:59Z"}, PhaseFresh, 253402300799 - now.Unix(), "project1 2912108d15h", false, "AWS_CREDENTIAL_EXPIRATION"},
		{"expired", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:12:59Z"}, PhaseExpired, 0, "project1 expired", false, "AWS_CREDENTIAL_EXPIRATION"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"AWSENV_PROFILE": "project1"}
			if tc.phase != PhaseNone {
				env["AWS_ACCESS_KEY_ID"] = "ASIAEXAMPLE"
			}
			for k, v := range tc.env {
				env[k] = v
			}
			s := Read(func(k string) string { return env[k] }, now)
			if s.Phase != tc.phase || s.Left != tc.left || s.Prompt() != tc.prompt || s.ExpiresBad != tc.bad || s.ExpiresVar != tc.from {
				t.Errorf("Read = phase %q, left %d, prompt %q, bad %v, from %q; want %q, %d, %q, %v, %q",
					s.Phase, s.Left, s.Prompt(), s.ExpiresBad, s.ExpiresVar, tc.phase, tc.left, tc.prompt, tc.bad, tc.from)
			}
		})
	}
}
