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

// Hostile shared files through the whole of `awsenv use`: awsenv's own
// reader and the SDK's must agree, fail with file and line, or work.
func TestHostileConfigFiles(t *testing.T) {
	role := "role_arn = " + roleArn + "\nsource_profile = user1\n"
	for _, tc := range []struct {
		name, config, profile string
		ok                    bool
		stderr                string
	}{
		{"empty config", "", "project1", false, `"project1" is not in`},
		{"binary garbage", "\x00\x01\x89PNG\r\n\x1a\n\xff", "project1", false, "config:1"},
		{"unterminated section", "[profile project1\n" + role, "project1", false, "config:1"},
		{"duplicate profiles", "[profile project1]\nregion = us-east-1\n[profile project1]\n" + role + "region = eu-west-1\n", "project1", true, ""},
		{"source_profile loop", "[profile a]\nrole_arn = " + roleArn + "\nsource_profile = b\n[profile b]\nrole_arn = " + roleArn + "\nsource_profile = a\n", "a", false, `"a"`},
		// The AWS CLI and the SDKs' shared rules ignore a profile name with a
		// space (the Go SDK alone reads it): awsenv says so. This expected
		// the Go SDK's reading before.
		{"spaces in the name", "[profile my project]\n" + role, "my project", false, "config:1 is ignored: the profile name has a space"},
		{"unicode in the name", "[profile prøject-🔑]\n" + role, "prøject-🔑", true, ""},
		{"CRLF", strings.ReplaceAll("[profile project1]\n"+role, "\n", "\r\n"), "project1", true, ""},
		{"BOM", "\xef\xbb\xbf[profile project1]\n" + role, "project1", false, "config:1: the file starts with a byte order mark"},
		{"10 MB", strings.Repeat("[profile filler]\nregion = eu-west-1\n", 300_000) + "[profile project1]\n" + role, "project1", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tc.config, baseCredentials, closedPortURL(t))
			// STS is down: a profile that resolves gets as far as STS and
			// says so; that is how far the files matter.
			out, stderr, code := f.awsenv(f.with("AWSENV_SHELL=bash"), "--timeout", "2s", "use", tc.profile)
			if out != "" || code != 1 {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			reached := strings.Contains(stderr, "could not reach STS")
			if reached != tc.ok {
				t.Errorf("reached STS = %v, want %v:\n%s", reached, tc.ok, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

// Whatever the shell holds, the commands that read it (prompt, status,
// list, doctor, clear, and the hook's own step) answer without crashing
// and without showing a secret.
func TestHostileEnvironment(t *testing.T) {
	token := strings.Repeat("T", 100*1024)
	for _, tc := range []struct {
		name string
		env  []string
	}{
		{"unparsable expiry", []string{"AWS_ACCESS_KEY_ID=ASIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY=" + secretKey, "AWS_SESSION_TOKEN=t", "AWS_CREDENTIAL_EXPIRATION=next tuesday"}},
		{"expiry in the past", []string{"AWS_ACCESS_KEY_ID=ASIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY=" + secretKey, "AWS_SESSION_TOKEN=t", "AWS_CREDENTIAL_EXPIRATION=1999-01-01T00:00:00Z"}},
		{"expiry far in the future", []string{"AWS_ACCESS_KEY_ID=ASIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY=" + secretKey, "AWS_SESSION_TOKEN=t", "AWS_CREDENTIAL_EXPIRATION=9999-12-31T23:59:59Z"}},
		{"key without secret", []string{"AWS_ACCESS_KEY_ID=AKIAEXAMPLE000000001"}},
		{"secret without key", []string{"AWS_SECRET_ACCESS_KEY=" + secretKey}},
		{"100 KB token", []string{"AWS_ACCESS_KEY_ID=ASIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY=" + secretKey, "AWS_SESSION_TOKEN=" + token}},
		{"newlines in values", []string{"AWS_ACCESS_KEY_ID=ASIA\nEXAMPLE", "AWS_SECRET_ACCESS_KEY=" + secretKey + "\n", "AWSENV_PROFILE=pro\nfile", "AWS_CREDENTIAL_EXPIRATION=2030-01-01T00:00:00Z\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, baseConfig, baseCredentials, closedPortURL(t))
			env := f.with(append(tc.env, "AWSENV_SHELL=bash", "AWSENV_TIMEOUT=2s")...)
			for _, args := range [][]string{
				{"prompt"}, {"status"}, {"list"}, {"clear"}, {"doctor", "--profile", "project1"},
				{"prompt-hook", "fish", "0", "0", "", ""},
			} {
				out, stderr, code := f.awsenv(env, args...)
				if code > 2 || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
					t.Errorf("%v: exit %d\n%s", args, code, stderr)
				}
				if strings.Contains(out+stderr, secretKey) || strings.Contains(out+stderr, token) {
					t.Errorf("%v shows a secret:\n%s%s", args, out, stderr)
				}
			}
		})
	}
}

// Names from the files reach a terminal escaped: an ESC in a profile name
// cannot reset the terminal (ESC c), a byte that is not UTF-8
// cannot break the table, in list, status, doctor and error messages.
func TestHostileNamesOnTheTerminal(t *testing.T) {
	config := "[profile evil\x1bc\x07]\nregion = eu-west-1\x1b[2J\n[profile bad\xffbyte]\nregion = us-east-1\n[profile ok]\nregion = us-east-1\n"
	f := newFixture(t, config, "", "")
	clean := func(what, s string) {
		t.Helper()
		for _, b := range []string{"\x1b", "\x07", "\xff"} {
			if strings.Contains(s, b) {
				t.Errorf("%s shows %q raw:\n%q", what, b, s)
			}
		}
	}
	out, stderr, code := f.awsenv(f.env, "list")
	if code != 0 || !strings.Contains(out, `evil\x1bc\x07`) || !strings.Contains(out, `bad\xffbyte`) {
		t.Errorf("list: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	clean("list", out+stderr)
	_, stderr, _ = f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), "use", "evil\x1bd\x07")
	clean("use with a mistyped name", stderr)
	// Such a name never reaches AWSENV_PROFILE, which the hooks show.
	out, stderr, code = f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), "use", "evil\x1bc\x07")
	if code == 0 || out != "" || !strings.Contains(stderr, "control characters") {
		t.Errorf("use of a name with control characters: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	clean("use with control characters", stderr)
	out, stderr, _ = f.awsenv(f.with("AWSENV_PROFILE=evil\x1bc\x07", "AWS_ACCESS_KEY_ID=AKIAEXAMPLE"), "status")
	clean("status", out+stderr)
	out, stderr, _ = f.awsenv(f.env, "doctor", "--profile", "evil\x1bc\x07")
	clean("doctor", out+stderr)
	out, _, _ = f.awsenv(f.with("AWSENV_PROFILE=evil\x1bc\x07", "AWS_ACCESS_KEY_ID=AKIAEXAMPLE"), "prompt")
	clean("prompt", out)
}
