package awsconfig

import "testing"

func TestARN(t *testing.T) {
	for _, tc := range []struct{ arn, account, role string }{
		{"arn:aws:iam::123456789012:role/Prod-Role", "123456789012", "Prod-Role"},
		{"arn:aws:iam::123456789012:role/team/app/Deploy", "123456789012", "Deploy"},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "123456789012", ""},
		{"arn:aws-cn:sts::210987654321:assumed-role/r", "210987654321", ""},
		{"not an arn", "", ""},
		{"", "", ""},
	} {
		if got := ARNAccount(tc.arn); got != tc.account {
			t.Errorf("ARNAccount(%q) = %q, want %q", tc.arn, got, tc.account)
		}
		if got := RoleName(tc.arn); got != tc.role {
			t.Errorf("RoleName(%q) = %q, want %q", tc.arn, got, tc.role)
		}
	}
}

func TestPastedSession(t *testing.T) {
	for _, tc := range []struct {
		keys map[string]Value
		want bool
	}{
		{map[string]Value{"aws_access_key_id": {Value: "AKIAEXAMPLE"}, "aws_secret_access_key": {Value: "s"}}, false},
		{map[string]Value{"aws_access_key_id": {Value: "AKIAEXAMPLE"}, "aws_session_token": {Value: "t"}}, true},
		{map[string]Value{"aws_access_key_id": {Value: "ASIAEXAMPLE"}}, true},
		{map[string]Value{"role_arn": {Value: "arn:aws:iam::1:role/R"}}, false},
	} {
		if _, got := PastedSession(&Profile{Keys: tc.keys}); got != tc.want {
			t.Errorf("PastedSession(%v) = %v, want %v", tc.keys, got, tc.want)
		}
	}
}
