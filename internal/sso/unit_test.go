package sso

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/ssocache"
)

// The tests of this file need no stand-in and run on every system; the
// others use internal/testenv, which is for Unix.

var corpSession = ssocache.Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", Scopes: []string{"sso:account:access"}}

func TestChallenge(t *testing.T) {
	// RFC 7636 appendix B.
	if got := challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("got %s", got)
	}
	v, err := newVerifier()
	if err != nil || len(v) != 64 || strings.Trim(v, verifierChars) != "" {
		t.Errorf("verifier %q, %v", v, err)
	}
}

func TestCallErrorRedacts(t *testing.T) {
	err := callError("CreateToken", errors.New(`Post "x": body {"clientSecret":"s3cr3t-value","refreshToken":"r3fr3sh-value"}`), "s3cr3t-value", "r3fr3sh-value")
	if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "r3fr3sh") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("%v", err)
	}
	if got := callError("X", context.DeadlineExceeded).Error(); got != "X: timed out" {
		t.Errorf("%q", got)
	}
}

func TestSafeProfileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Production-ReadOnly", "Production-ReadOnly"},
		{"My Account / Admin", "My-Account-Admin"},
		{"Zürich [prod]-Dev", "Z-rich-prod-Dev"},
		{"..a b..", "a-b"},
		{"$(rm -rf ~)", "rm-rf"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SafeProfileName(tt.in); got != tt.want {
			t.Errorf("SafeProfileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlanProfiles(t *testing.T) {
	acct := func(id, name string) Account { return Account{ID: id, Name: name} }
	roles := []AccountRole{
		{acct("111111111111", "Prod"), "ReadOnly"},
		{acct("222222222222", "Prod"), "ReadOnly"}, // two accounts of one name
		{acct("333333333333", "Dev"), "Role A"},
		{acct("333333333333", "Dev"), "Role/A"}, // one safe name for two roles
		{acct("444444444444", "Mine"), "Admin"},
	}
	got, err := PlanProfiles(corpSession, roles, ProfileOptions{Taken: []string{"Mine-Admin"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Name+"="+p.AccountID+"/"+p.Role+"@"+p.Region)
	}
	want := []string{
		"Dev-Role-A-333333333333=333333333333/Role A@eu-west-1",
		"Dev-Role-A-333333333333-2=333333333333/Role/A@eu-west-1",
		"Mine-Admin-444444444444=444444444444/Admin@eu-west-1",
		"Prod-ReadOnly-111111111111=111111111111/ReadOnly@eu-west-1",
		"Prod-ReadOnly-222222222222=222222222222/ReadOnly@eu-west-1",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	got, err = PlanProfiles(corpSession, roles[:1], ProfileOptions{Template: "{session}.{account_id}.{role}", Region: "us-west-2"})
	if err != nil || got[0].Name != "corp.111111111111.ReadOnly" || got[0].Region != "us-west-2" {
		t.Errorf("template: %+v, %v", got, err)
	}
	if _, err := PlanProfiles(corpSession, roles, ProfileOptions{Template: "{account}"}); err == nil {
		t.Error("a template without {role} was taken")
	}
}
