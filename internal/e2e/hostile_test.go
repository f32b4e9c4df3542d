package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// TestHostileSTS: whatever STS does, awsenv prints nothing to evaluate,
// says what happened in one message without secrets, and gives up within
// its timeout.
func TestHostileSTS(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		stderr  string
	}{
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			// Read the body so that the server notices the client leave.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-time.After(30 * time.Second):
			case <-r.Context().Done():
			}
		}, "could not reach STS"},
		{"500", status(http.StatusInternalServerError, "oops"), "project1"},
		{"throttling", stsError(http.StatusBadRequest, "Throttling", "Rate exceeded"), "Throttling"},
		{"malformed XML", status(http.StatusOK, "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>"), "project1"},
		{"ExpiredToken", stsError(http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired"), "expired"},
		{"AccessDenied", stsError(http.StatusForbidden, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"), "trust policy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tc.handler(w, r)
			}))
			t.Cleanup(srv.Close)
			f := newFixture(t, baseConfig, baseCredentials, srv.URL)
			start := time.Now()
			out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "--timeout", "2s", "use", "project1")
			elapsed := time.Since(start)
			t.Logf("awsenv gave up after %v", elapsed)
			if out != "" || code != 1 {
				t.Errorf("exit %d, stdout %q", code, out)
			}
			if !strings.Contains(stderr, tc.stderr) || strings.Count(strings.TrimSpace(stderr), "\n") > 2 {
				t.Errorf("stderr should say %q in a line or two:\n%s", tc.stderr, stderr)
			}
			if strings.Contains(stderr, secretKey) {
				t.Errorf("stderr shows the secret key")
			}
			// Two attempts at most, each within the 2 s timeout.
			if elapsed > 8*time.Second {
				t.Errorf("took %v with --timeout 2s", elapsed)
			}
		})
	}
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func stsError(httpCode int, code, message string) http.HandlerFunc {
	return status(httpCode, testenv.STSError(code, message))
}

// A 100 KB session token (SAML and SSO tokens run long) and a value with
// line breaks survive every shell.
func TestHugeAndMultilineValues(t *testing.T) {
	token := strings.Repeat("FQoGZXIvYXdzEBYaDK5Y36dAY0Co+/=", 100*1024/30)
	creds := baseCredentials + "[huge]\naws_access_key_id = ASIAHUGEEXAMPLE00001\naws_secret_access_key = s\naws_session_token = " + token + "\n"
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, baseConfig, creds, "")
			out, stderr, code := f.shell(sh, strings.Replace(evalUse[sh], "%s", "use huge", 1))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := parseEnv(out)["AWS_SESSION_TOKEN"]; got != token {
				t.Fatalf("token of %d bytes read back as %d bytes", len(token), len(got))
			}
		})
	}
}
