//go:build unix

package sso

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// clock is a test's time, moved on instead of slept through; the client
// and the stand-in share it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeps records the device flow's waits, which return at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

type fixture struct {
	stub   *testenv.SSOStub
	clock  *clock
	sleeps *sleeps
	store  ssocache.Store
	client *Client
}

func newFixture(t *testing.T, sess ssocache.Session, set func(*testenv.SSOStub)) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), sleeps: &sleeps{}}
	f.stub = testenv.StartSSOStub(t, func(s *testenv.SSOStub) {
		s.Now = f.clock.Now
		if set != nil {
			set(s)
		}
	})
	f.store = ssocache.Store{Dir: filepath.Join(t.TempDir(), ".aws", "sso", "cache")}
	f.client = f.newClient(t, sess)
	return f
}

func (f *fixture) newClient(t *testing.T, sess ssocache.Session) *Client {
	t.Helper()
	c, err := New(Options{
		Session:        sess,
		Store:          f.store,
		OIDCEndpoint:   f.stub.URL,
		PortalEndpoint: f.stub.URL,
		Now:            f.clock.Now,
		Sleep:          f.sleeps.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// browser plays the user's browser: it follows the authorization URL to
// the stand-in, which approves and redirects to the loopback listener.
type browser struct {
	t      *testing.T
	opened []string
	// before, when set, is called with the URL before it is followed.
	before func(url string)
	// status and body are the loopback listener's answer.
	status int
	body   string
}

func (b *browser) Open(u string) error {
	b.opened = append(b.opened, u)
	if b.before != nil {
		b.before(u)
	}
	if !strings.Contains(u, "/authorize?") {
		return nil // a device flow page: nothing to follow
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		b.t.Errorf("following %s: %v", u, err)
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.status, b.body = resp.StatusCode, string(body)
	return nil
}

// secretsIn are every secret of the cached files, which no error may show.
func secretsIn(t *testing.T, store ssocache.Store, sess ssocache.Session) []string {
	t.Helper()
	var out []string
	if tok, err := store.LoadToken(sess); err == nil {
		out = append(out, tok.AccessToken, tok.RefreshToken, tok.ClientSecret)
	}
	if reg, err := store.LoadRegistration(sess); err == nil {
		out = append(out, reg.ClientSecret)
	}
	return out
}

func assertNoSecrets(t *testing.T, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%q shows a secret", text)
		}
	}
}
