//go:build unix

package sso

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/ssocache"
	"github.com/awsenv/awsenv/internal/testenv"
)

// The whole command: list, plan, write; a second run after an account is
// added changes only the block, and the written profiles are ones the
// config reader takes for SSO profiles of the session.
func TestProfilesWrite(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) { s.PageSize = 1 })
	login(t, f)
	cfgPath := filepath.Join(t.TempDir(), "config")
	user := "# my config\r\n[sso-session corp]\r\nsso_start_url = https://corp.awsapps.com/start\r\nsso_region = eu-west-1\r\n\r\n[profile Production-ReadOnly]\r\nregion = us-east-1\r\n"
	if err := os.WriteFile(cfgPath, []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ps, block, err := f.client.Profiles(ctx, cfgPath, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 || !strings.Contains(block, "[profile Production-ReadOnly-111111111111]") || !strings.Contains(block, "[profile Development-Developer]") {
		t.Fatalf("plan %+v\n%s", ps, block)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	backup, changed, err := WriteProfiles(cfgPath, corpSession, block, now)
	if err != nil || !changed || backup == "" {
		t.Fatalf("WriteProfiles = %q, %v, %v", backup, changed, err)
	}
	data, _ := os.ReadFile(cfgPath)
	if !strings.HasPrefix(string(data), user) || strings.Contains(strings.ReplaceAll(string(data), "\r\n", ""), "\n") {
		t.Errorf("the user's lines or CRLF changed:\n%q", data)
	}
	cfg, err := awsconfig.LoadFiles(cfgPath, filepath.Join(t.TempDir(), "none"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ssocache.SessionProfiles(cfg, corpSession); len(got) != 3 {
		t.Errorf("%d SSO profiles of corp in the written file, want 3", len(got))
	}

	// An account is added: the next run rewrites the block only.
	f.stub.Lock()
	f.stub.Accounts = append(f.stub.Accounts, testenv.SSOStubAccount{ID: "333333333333", Name: "Audit", Roles: []string{"Auditor"}})
	f.stub.Unlock()
	_, block, err = f.client.Profiles(ctx, cfgPath, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, changed, err := WriteProfiles(cfgPath, corpSession, block, now.Add(time.Minute)); err != nil || !changed {
		t.Fatalf("second write: %v, %v", changed, err)
	}
	data, _ = os.ReadFile(cfgPath)
	if !strings.HasPrefix(string(data), user) || strings.Count(string(data), "# BEGIN awsenv") != 1 || !strings.Contains(string(data), "[profile Audit-Auditor]") {
		t.Errorf("after the second run:\n%s", data)
	}
	// The same again: nothing to do.
	if _, changed, _ := WriteProfiles(cfgPath, corpSession, block, now.Add(2*time.Minute)); changed {
		t.Error("an unchanged block was rewritten")
	}
}
