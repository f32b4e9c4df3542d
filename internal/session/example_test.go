package session_test

import (
	"fmt"
	"time"

	"github.com/awsenv/awsenv/internal/session"
)

func ExampleFormatLeft() {
	for _, secs := range []int64{45, 2579, 3959, 183599, 0} {
		fmt.Println(session.FormatLeft(secs))
	}
	// Output:
	// 45s
	// 42m
	// 1h05m
	// 2d02h
	// expired
}

func ExampleLeft() {
	now := time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC)
	exp, _ := session.ParseExpiry("2026-12-01T08:54:59") // no zone: UTC
	fmt.Println(session.Left(exp, now))
	fmt.Println(session.Left(exp, exp.Add(5*time.Minute+30*time.Second)))
	// Output:
	// 42m left
	// expired 5m ago
}

func ExampleParseExpiry() {
	for _, s := range []string{"2026-12-01T08:54:59Z", "2026-12-01T09:54:59.123+01:00", "2026-12-01 08:54:59", "2026-12-01T08:54:59UTC", "soon"} {
		t, ok := session.ParseExpiry(s)
		fmt.Println(t.Format(time.RFC3339), ok)
	}
	// Output:
	// 2026-12-01T08:54:59Z true
	// 2026-12-01T08:54:59Z true
	// 2026-12-01T08:54:59Z true
	// 2026-12-01T08:54:59Z true
	// 0001-01-01T00:00:00Z false
}

func ExampleRead() {
	env := map[string]string{
		"AWS_ACCESS_KEY_ID":         "ASIAEXAMPLE",
		"AWSENV_PROFILE":            "project1",
		"AWS_CREDENTIAL_EXPIRATION": "2026-12-01T08:54:59Z",
	}
	s := session.Read(func(k string) string { return env[k] }, time.Date(2026, 12, 1, 8, 12, 59, 0, time.UTC))
	fmt.Println(s.Prompt(), s.Phase)
	// Output: project1 42m ok
}

func ExampleRefreshWindow() {
	// AWSENV_REFRESH_BEFORE=2h (7200 s): before any refresh, and then with
	// one-hour sessions.
	fmt.Println(session.RefreshWindow(7200, 0), session.RefreshWindow(7200, 3600))
	// The default 5m is shorter than the session and stays.
	fmt.Println(session.RefreshWindow(300, 3600))
	// Output:
	// 7200 1800
	// 300
}

func ExampleBackoff() {
	getenv := func(string) string { return "" } // AWSENV_REFRESH_BACKOFF unset: 1m
	for n := 1; n <= 6; n++ {
		fmt.Print(session.FormatLeft(session.Backoff(getenv, n)), " ")
	}
	fmt.Println()
	// Output: 1m 2m 4m 8m 15m 15m
}
