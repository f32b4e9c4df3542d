package credserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

// counter hands out numbered credentials that expire after lifetime.
type counter struct {
	n        atomic.Int32
	lifetime time.Duration
	fail     atomic.Bool
	refresh  atomic.Int32 // calls with refresh set
}

func (c *counter) source(_ context.Context, refresh bool) (creds.Credentials, error) {
	if refresh {
		c.refresh.Add(1)
	}
	if c.fail.Load() {
		return creds.Credentials{}, errors.New("STS is down")
	}
	n := c.n.Add(1)
	cr := creds.Credentials{
		AccessKeyID:     fmt.Sprintf("ASIAEXAMPLE%04d", n),
		SecretAccessKey: "secret",
		SessionToken:    "token",
	}
	if c.lifetime != 0 {
		cr.Expires = time.Now().Add(c.lifetime)
	}
	return cr, nil
}

func get(t *testing.T, ep creds.Endpoint, auth string) (int, response) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ep.URL, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r response
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, r
}

func TestServesWithTokenOnly(t *testing.T) {
	t.Parallel()
	c := &counter{lifetime: time.Hour}
	ep, err := Start(t.Context(), creds.ServerOptions{Profile: "p", Source: c.source})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(ep.URL)
	if u.Hostname() != "127.0.0.1" {
		t.Errorf("URL %s: want 127.0.0.1", ep.URL)
	}
	if len(ep.Token) < 40 {
		t.Errorf("token %d characters long: want 256 bits", len(ep.Token))
	}
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"wrong", http.StatusForbidden},
		{ep.Token + "x", http.StatusForbidden},
		{ep.Token[:len(ep.Token)-1], http.StatusForbidden},
		{ep.Token, http.StatusOK},
	} {
		code, r := get(t, ep, tc.auth)
		if code != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, code, tc.want)
		}
		if tc.want != http.StatusOK && r.AccessKeyID != "" {
			t.Errorf("Authorization %q: served credentials", tc.auth)
		}
		if tc.want == http.StatusOK {
			exp, err := time.Parse(time.RFC3339, r.Expiration)
			if r.AccessKeyID != "ASIAEXAMPLE0001" || r.SecretAccessKey != "secret" || r.Token != "token" || err != nil || time.Until(exp) < 59*time.Minute {
				t.Errorf("served %+v", r)
			}
		}
	}
	resp, err := http.Post(ep.URL, "text/plain", strings.NewReader(""))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: %s", resp.Status)
		}
	}
}

func TestStopsWithContext(t *testing.T) {
	t.Parallel()
	c := &counter{lifetime: time.Hour}
	ctx, cancel := context.WithCancel(t.Context())
	ep, err := Start(ctx, creds.ServerOptions{Source: c.source})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(ep.URL)
		if err != nil {
			return
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("still serving after the context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFirstFetchErrorIsReturned(t *testing.T) {
	t.Parallel()
	c := &counter{}
	c.fail.Store(true)
	if _, err := Start(t.Context(), creds.ServerOptions{Source: c.source}); err == nil || !strings.Contains(err.Error(), "STS is down") {
		t.Errorf("Start = %v, want the source's error", err)
	}
}

func TestRefreshesBeforeExpiry(t *testing.T) {
	t.Parallel()
	c := &counter{lifetime: 3 * time.Second}
	ep, err := Start(t.Context(), creds.ServerOptions{Source: c.source, RefreshBefore: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, first := get(t, ep, ep.Token)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, r := get(t, ep, ep.Token)
		if r.AccessKeyID != first.AccessKeyID {
			if c.refresh.Load() == 0 {
				t.Error("renewed without asking for fresh credentials")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still serving %s after 5s", first.AccessKeyID)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is a log shared with the refresh goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestExpiredAfterFailedRefresh(t *testing.T) {
	t.Parallel()
	c := &counter{lifetime: 1500 * time.Millisecond}
	var log syncBuffer
	ep, err := Start(t.Context(), creds.ServerOptions{Profile: "p", Source: c.source, RefreshBefore: time.Second, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	c.fail.Store(true)
	time.Sleep(1600 * time.Millisecond)
	if code, _ := get(t, ep, ep.Token); code != http.StatusServiceUnavailable {
		t.Errorf("expired credentials served with %d, want 503", code)
	}
	if l := log.String(); !strings.Contains(l, `profile "p"`) || !strings.Contains(l, "STS is down") || strings.Contains(l, "secret") {
		t.Errorf("log = %q", l)
	}
}

func TestNextRefresh(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name     string
		lifetime time.Duration
		margin   time.Duration
		want     time.Duration // after fetch
		said     bool          // the log tells of the cap
	}{
		{"hour, default margin", time.Hour, 0, 40 * time.Minute, false},
		{"15 minutes, default capped at half", 15 * time.Minute, 0, 450 * time.Second, false},
		{"explicit margin", time.Hour, 14 * time.Minute, 46 * time.Minute, false},
		{"explicit margin capped at half", 15 * time.Minute, 14*time.Minute + 57*time.Second, 450 * time.Second, true},
		{"explicit margin too long", 15 * time.Minute, time.Hour, 450 * time.Second, true},
		{"tiny session", 1500 * time.Millisecond, time.Hour, minInterval, true},
	} {
		var log strings.Builder
		s := &server{opts: creds.ServerOptions{Profile: "p", RefreshBefore: tc.margin, Log: &log}, fetchedAt: now,
			cur: creds.Credentials{Expires: now.Add(tc.lifetime)}}
		for range 2 {
			at, ok := s.nextRefresh()
			if !ok || at.Sub(now) != tc.want {
				t.Errorf("%s: refresh after %v, want %v", tc.name, at.Sub(now), tc.want)
			}
		}
		if n := strings.Count(log.String(), "at most half"); n != map[bool]int{false: 0, true: 1}[tc.said] {
			t.Errorf("%s: the log tells of the cap %d times, want it said=%v: %q", tc.name, n, tc.said, log.String())
		}
		if tc.said && !strings.Contains(log.String(), `profile "p"`) {
			t.Errorf("%s: log %q does not name the profile", tc.name, log.String())
		}
	}
	s := &server{fetchedAt: now}
	if _, ok := s.nextRefresh(); ok {
		t.Error("keys that do not expire are refreshed")
	}
}
