// Package credserver serves a profile's credentials to one child process
// over loopback HTTP, in the format of the ECS container credentials
// provider, for `awsenv exec --server`. Every AWS SDK and the CLI read that
// endpoint when AWS_CONTAINER_CREDENTIALS_FULL_URI is set and fetch from it
// again before the credentials they hold expire, so a job that runs for
// hours never meets an expired token.
package credserver

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

// DefaultRefreshBefore is how long before expiry new credentials are
// fetched. The SDKs fetch from the endpoint again when what they hold is
// within their own window of expiry: 15 minutes (advisory) and 10
// (mandatory) in botocore and so the AWS CLI, 5 in the Go and JavaScript
// SDKs. Renewing 20 minutes ahead means that when any of them comes back,
// it is handed credentials outside its window.
const DefaultRefreshBefore = 20 * time.Minute

// retryAfter spaces attempts after a failed refresh. The served
// credentials are still valid for most of the refresh margin, so a short
// STS or network outage costs nothing.
const retryAfter = 30 * time.Second

// staticLifetime is the Expiration served for keys that never expire:
// botocore requires the field, and an hour makes SDKs come back now and
// then, so that a key rotated in the credentials file is picked up.
const staticLifetime = time.Hour

// server holds the credentials being served.
type server struct {
	opts  creds.ServerOptions
	token string

	mu        sync.Mutex
	cur       creds.Credentials
	fetchedAt time.Time
	// saidCapped is set once the log has been told that the margin in
	// the options is too long for the session.
	saidCapped bool
}

// Start fetches the first credentials, so that a profile that cannot be
// resolved fails before the command starts, then listens on a random port
// of 127.0.0.1 until ctx is done.
func Start(ctx context.Context, opts creds.ServerOptions) (creds.Endpoint, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	c, err := opts.Source(ctx, false)
	if err != nil {
		return creds.Endpoint{}, err
	}
	token, err := newToken()
	if err != nil {
		return creds.Endpoint{}, err
	}
	s := &server{opts: opts, token: token, cur: c, fetchedAt: time.Now()}

	// Loopback only: the endpoint hands out credentials to whoever has the
	// token, and nothing off this machine should even get to ask.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return creds.Endpoint{}, fmt.Errorf("starting the credential server: %w", err)
	}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
	}
	go hs.Serve(ln)
	go s.refreshLoop(ctx)
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	return creds.Endpoint{URL: "http://" + ln.Addr().String() + "/", Token: token}, nil
}

// newToken returns 256 random bits, in a form that is a valid header value.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the credential server's token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// response is the container credentials format.
type response struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	Token           string
	Expiration      string
}

// errorResponse is the error format the SDKs log.
type errorResponse struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET")
		return
	}
	got := r.Header.Get("Authorization")
	if got == "" {
		writeError(w, http.StatusUnauthorized, "Unauthorized", "missing Authorization header: set "+creds.ContainerAuthToken)
		return
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
		writeError(w, http.StatusForbidden, "Forbidden", "wrong authorization token")
		return
	}
	if r.URL.Path != "/" {
		writeError(w, http.StatusNotFound, "NotFound", "the credentials are at /")
		return
	}

	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	exp := c.Expires
	if exp.IsZero() {
		exp = time.Now().Add(staticLifetime)
	} else if !time.Now().Before(exp) {
		writeError(w, http.StatusServiceUnavailable, "ExpiredToken",
			fmt.Sprintf("awsenv could not refresh the credentials of profile %q before they expired at %s; see the messages of awsenv on the terminal", s.opts.Profile, exp.UTC().Format(creds.TimeFormat)))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(response{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		Token:           c.SessionToken,
		Expiration:      exp.UTC().Format(creds.TimeFormat),
	})
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorResponse{Code: code, Message: msg})
}

// minInterval keeps a margin as long as the session from turning the
// refresh loop into a busy loop.
const minInterval = time.Second

// nextRefresh is when the credentials held must be replaced:
// DefaultRefreshBefore (or the margin in the options) ahead of expiry, but
// no earlier than half-way through their lifetime, so that short sessions
// (15 minutes is the least STS grants) are not fetched again at once, and
// again, and again. A margin from the options that is cut to half the
// session is said once on the log: it is a setting the user chose.
func (s *server) nextRefresh() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur.Expires.IsZero() {
		return time.Time{}, false
	}
	margin := s.opts.RefreshBefore
	if margin <= 0 {
		margin = DefaultRefreshBefore
	}
	lifetime := s.cur.Expires.Sub(s.fetchedAt)
	if half := lifetime / 2; margin > half {
		if s.opts.RefreshBefore > 0 && !s.saidCapped {
			s.saidCapped = true
			fmt.Fprintf(s.opts.Log, "awsenv: renewing the credentials of profile %q %s before they expire, not %s (AWSENV_SERVER_REFRESH_BEFORE): at most half of the %s they were valid for when fetched\n",
				s.opts.Profile, half.Round(time.Second), s.opts.RefreshBefore, lifetime.Round(time.Second))
		}
		margin = half
	}
	at := s.cur.Expires.Add(-margin)
	if earliest := s.fetchedAt.Add(minInterval); at.Before(earliest) {
		at = earliest
	}
	return at, true
}

// refreshLoop replaces the credentials before they expire until ctx is
// done. A failed attempt is retried; the credentials served meanwhile are
// the old ones, still valid.
func (s *server) refreshLoop(ctx context.Context) {
	for {
		at, ok := s.nextRefresh()
		if !ok {
			return // keys that do not expire
		}
		if !sleepUntil(ctx, at) {
			return
		}
		for {
			err := s.refresh(ctx)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return
			}
			s.mu.Lock()
			left := time.Until(s.cur.Expires).Round(time.Second)
			s.mu.Unlock()
			state := fmt.Sprintf("the served credentials expire in %s", left)
			if left <= 0 {
				state = "the served credentials have expired"
			}
			fmt.Fprintf(s.opts.Log, "awsenv: refreshing the credentials of profile %q failed: %v; %s; retrying in %s\n", s.opts.Profile, err, state, retryAfter)
			if !sleepUntil(ctx, time.Now().Add(retryAfter)) {
				return
			}
		}
	}
}

func (s *server) refresh(ctx context.Context) error {
	c, err := s.opts.Source(ctx, true)
	if err != nil {
		return err
	}
	if !c.Expires.IsZero() && !c.Expires.After(time.Now()) {
		return errors.New("got credentials that are already expired")
	}
	s.mu.Lock()
	s.cur, s.fetchedAt = c, time.Now()
	s.mu.Unlock()
	return nil
}

// sleepUntil waits until t and reports whether ctx is still live.
func sleepUntil(ctx context.Context, t time.Time) bool {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
