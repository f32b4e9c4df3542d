//go:build unix

package resolve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

// processProfile writes a credential_process script that prints reply.
func processProfile(t *testing.T, reply string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "creds.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ncat <<'EOF'\n"+reply+"\nEOF\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return "[profile p]\ncredential_process = " + script + "\n"
}

func TestCredentialProcess(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET"
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	for _, tc := range []struct {
		name, reply, err string
	}{
		{"RFC 3339", `{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "` + secret + `", "SessionToken": "tok", "Expiration": "` + exp.Format(time.RFC3339) + `"}`, ""},
		// The AWS CLI takes +0000; Go's RFC 3339 parser does not.
		{"+0000 offset", `{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "` + secret + `", "SessionToken": "tok", "Expiration": "` + exp.Format("2006-01-02T15:04:05") + `+0000"}`, ""},
		{"not JSON", `AccessKeyId=ASIAPROC SecretAccessKey=` + secret, "not the credential_process JSON"},
		{"bad expiration", `{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "` + secret + `", "Expiration": "` + secret + `"}`, "Expiration"},
		{"wrong type", `{"Version": 1, "AccessKeyId": 7, "SecretAccessKey": "` + secret + `"}`, "not the credential_process JSON"},
		{"version 2", `{"Version": 2, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "` + secret + `"}`, "Version 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := setup(t, processProfile(t, tc.reply), "", &fakeSTS{})
			c, err := Resolve(context.Background(), cfg, creds.Request{Profile: "p"})
			if tc.err == "" {
				if err != nil || c.SecretAccessKey != secret || !c.Expires.Equal(exp) {
					t.Fatalf("got %+v, %v", c.Expires, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error quotes the secret: %v", err)
			}
		})
	}
}

// A profile whose credential_process runs awsenv for the same profile
// stops at the second awsenv instead of forking without end.
func TestCredentialProcessLoop(t *testing.T) {
	cfg := setup(t, "[profile loop]\ncredential_process = awsenv export --format process loop\n", "", &fakeSTS{})
	t.Setenv(ProcessChainVar, "other,loop")
	_, err := Resolve(context.Background(), cfg, creds.Request{Profile: "loop"})
	if err == nil || !strings.Contains(err.Error(), "credential_process loop: other > loop > loop") {
		t.Errorf("error %v, want the loop named", err)
	}
}

// A source_profile without role_arn is not a role: a credential_process
// profile that also names one (left over from an edit) runs its process.
func TestStraySourceProfile(t *testing.T) {
	script := filepath.Join(t.TempDir(), "creds.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": \"s\"}'\n"), 0o700)
	cfg := setup(t, "[profile p]\ncredential_process = "+script+"\nsource_profile = other\n", "", &fakeSTS{})
	c, err := Resolve(context.Background(), cfg, creds.Request{Profile: "p"})
	if err != nil || c.AccessKeyID != "AKIAPROC" {
		t.Errorf("got %q, %v; want the process's keys", c.AccessKeyID, err)
	}
}
