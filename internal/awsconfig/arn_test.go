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
