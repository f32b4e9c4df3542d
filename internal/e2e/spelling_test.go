package e2e

import (
	"net"
	"strings"
	"testing"
	"time"
)

// silentSTS accepts connections and never answers: an endpoint behind a
// black-holing firewall or a hung proxy.
func silentSTS(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return "http://" + l.Addr().String()
}

// A flag means the same in every spelling and position, and so does its
// variable: with AWSENV_TIMEOUT=1s every form gives up after about a
// second per try, not after the 10 s default.
func TestEverySpellingHonoursTheTimeout(t *testing.T) {
	silent := silentSTS(t)
	for _, args := range [][]string{
		{"use", "project1", "--refresh"},
		{"use", "project1", "--refresh=true"},
		{"use", "--refresh", "project1"},
		{"use", "project1", "--refresh", "--shell", "bash"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, baseConfig, baseCredentials, silent)
			start := time.Now()
			out, stderr, code := f.awsenvNoTTY(f.with("AWSENV_TIMEOUT=1s", "AWSENV_SHELL=bash"), args...)
			if code == 0 || out != "" {
				t.Errorf("%q: exit %d, stdout %q; want a failure and nothing on stdout", args, code, out)
			}
			// Two attempts of 1 s each, and start-up.
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%q took %v with AWSENV_TIMEOUT=1s:\n%s", args, d, stderr)
			}
		})
	}
	for _, args := range [][]string{
		{"--timeout", "1s", "use", "project1", "--refresh"},
		{"use", "project1", "--timeout=1s", "--refresh=true"},
	} {
		f := newFixture(t, baseConfig, baseCredentials, silent)
		start := time.Now()
		_, stderr, code := f.awsenvNoTTY(f.with("AWSENV_SHELL=bash"), args...)
		if d := time.Since(start); code == 0 || d > 5*time.Second {
			t.Errorf("%q: exit %d after %v:\n%s", args, code, d, stderr)
		}
	}
}
