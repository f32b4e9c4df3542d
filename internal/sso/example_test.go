package sso_test

import (
	"fmt"

	"github.com/awsenv/awsenv/internal/sso"
	"github.com/awsenv/awsenv/internal/ssocache"
)

func ExampleSafeProfileName() {
	fmt.Println(sso.SafeProfileName("Data Lake (prod)") + "-" + sso.SafeProfileName("AdministratorAccess"))
	// Output: Data-Lake-prod-AdministratorAccess
}

func ExampleLoginRequiredError() {
	err := &sso.LoginRequiredError{
		Session: ssocache.Session{Name: "corp"},
		Reason:  "the SSO session has ended",
	}
	fmt.Println(err)
	fmt.Println(sso.ForProfile(err, "prod"))
	// Output:
	// sso-session corp: the SSO session has ended: run `awsenv login --sso-session corp`, then try again
	// sso-session corp: the SSO session has ended: run `awsenv login prod`, then try again
}

func ExampleProfilesBlock() {
	sess := ssocache.Session{Name: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1"}
	roles := []sso.AccountRole{{Account: sso.Account{ID: "111111111111", Name: "Production"}, Role: "ReadOnly"}}
	ps, _ := sso.PlanProfiles(sess, roles, sso.ProfileOptions{})
	fmt.Print(sso.ProfilesBlock(sess, ps))
	// Output:
	// # Written by `awsenv sso profiles --write` for sso-session corp; the next run replaces this block.
	// [profile Production-ReadOnly]
	// sso_session = corp
	// sso_account_id = 111111111111
	// sso_role_name = ReadOnly
	// sso_account_name = Production
	// region = eu-west-1
}
