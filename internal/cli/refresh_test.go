package cli

import (
	"strings"
	"testing"
)

func TestRefreshNeedsAwsenvProfile(t *testing.T) {
	t.Setenv("AWSENV_PROFILE", "")
	var out, errb strings.Builder
	app := &App{Stdout: &out, Stderr: &errb}
	err := (&RefreshCmd{Shell: "bash"}).Run(app)
	if err == nil || !strings.Contains(err.Error(), "awsenv use PROFILE") || out.Len() != 0 {
		t.Errorf("refresh without AWSENV_PROFILE: err %v, stdout %q", err, out.String())
	}
}
