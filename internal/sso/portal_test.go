//go:build unix

package sso

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/testenv"
)

func TestRoleCredentials(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	login(t, f)
	creds, err := f.client.RoleCredentials(context.Background(), "111111111111", "ReadOnly")
	if err != nil {
		t.Fatal(err)
	}
	issued, ok := f.stub.Issued(creds.AccessKeyID)
	if !ok || issued.SecretAccessKey != creds.SecretAccessKey || issued.SessionToken != creds.SessionToken || !issued.Expiration.Equal(creds.Expiration) || creds.AccountID != "111111111111" {
		t.Errorf("got %+v, issued %+v", creds, issued)
	}
	_, err = f.client.RoleCredentials(context.Background(), "111111111111", "Nope")
	if err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("unknown role: %v", err)
	}
}

// Credentials come with a renewed token when the cached one has expired.
func TestRoleCredentialsRenews(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	login(t, f)
	f.clock.Advance(90 * time.Minute)
	if _, err := f.client.RoleCredentials(context.Background(), "222222222222", "Developer"); err != nil {
		t.Fatal(err)
	}
	if n := f.stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Errorf("%d refreshes", n)
	}
}

// A token the portal refuses is renewed once; when the session is over
// too, a login is required.
func TestRevokedToken(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	login(t, f)
	f.stub.RevokeAccessTokens()
	if _, err := f.client.RoleCredentials(context.Background(), "111111111111", "ReadOnly"); err != nil {
		t.Fatalf("a revoked token with a live session: %v", err)
	}
	if n := f.stub.Calls("CreateToken:refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	f.stub.RevokeAccessTokens()
	f.stub.EndSessions()
	_, err := f.client.RoleCredentials(context.Background(), "111111111111", "ReadOnly")
	var lr *LoginRequiredError
	if !errors.As(err, &lr) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, err.Error(), secretsIn(t, f.store, corpSession))
}

func TestAccountRolesPages(t *testing.T) {
	f := newFixture(t, corpSession, func(s *testenv.SSOStub) {
		s.PageSize = 1
		s.Accounts = append(s.Accounts, testenv.SSOStubAccount{ID: "333333333333", Name: "Audit", Roles: []string{"Auditor", "ReadOnly", "Breakglass"}})
	})
	login(t, f)
	got, err := f.client.AccountRoles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ar := range got {
		names = append(names, ar.Account.Name+"/"+ar.Role)
	}
	want := "Audit/Auditor Audit/Breakglass Audit/ReadOnly Development/Developer Production/AdministratorAccess Production/ReadOnly"
	if strings.Join(names, " ") != want {
		t.Errorf("got %v\nwant %s", names, want)
	}
	if n := f.stub.Calls("ListAccounts"); n != 3 {
		t.Errorf("ListAccounts %d pages, want 3", n)
	}
	if n := f.stub.Calls("ListAccountRoles"); n != 6 {
		t.Errorf("ListAccountRoles %d pages, want 6", n)
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	tok := login(t, f)
	removed, err := f.client.Logout(context.Background())
	if err != nil || len(removed) != 2 {
		t.Fatalf("Logout = %v, %v", removed, err)
	}
	for _, p := range removed {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there", p)
		}
	}
	if f.stub.Calls("Logout") != 1 || f.stub.ValidAccessToken(tok.AccessToken) {
		t.Error("the portal session was not ended")
	}
	var lr *LoginRequiredError
	if _, err := f.client.Token(context.Background()); !errors.As(err, &lr) {
		t.Errorf("after logout: %v", err)
	}
}

func TestProfileCredentials(t *testing.T) {
	f := newFixture(t, corpSession, nil)
	dir := t.TempDir()
	cfgPath := dir + "/config"
	testenv.WriteFile(t, cfgPath, "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n[profile dev]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = Developer\n", 0o600)
	cfg, err := awsconfig.LoadFiles(cfgPath, dir+"/credentials")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.Profile("dev")
	o := f.client.opts
	_, err = ProfileCredentials(context.Background(), cfg, p, o)
	if err == nil || !strings.Contains(err.Error(), "`awsenv login dev`") {
		t.Fatalf("before login: %v", err)
	}
	login(t, f)
	creds, err := ProfileCredentials(context.Background(), cfg, p, o)
	if err != nil {
		t.Fatal(err)
	}
	if issued, ok := f.stub.Issued(creds.AccessKeyID); !ok || issued.AccountID != "222222222222" {
		t.Errorf("got %+v", creds)
	}
}
