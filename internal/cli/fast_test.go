package cli

import (
	"reflect"
	"testing"
	"time"
)

// What ParseFast takes and what it leaves to the grammar. cmdline's tests
// check that what it takes, it reads as the grammar would.
func TestParseFast(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want Runner // nil: not taken
	}{
		{[]string{"hook", "bash"}, &HookCmd{Shell: "bash"}},
		{[]string{"hook", "fish", "--auto-refresh"}, &HookCmd{Shell: "fish", AutoRefresh: true}},
		{[]string{"hook", "--auto-refresh", "zsh"}, &HookCmd{Shell: "zsh", AutoRefresh: true}},
		{[]string{"hook"}, &HookCmd{}},
		{[]string{"hook", "bash", "--help"}, nil},
		{[]string{"hook", "-h"}, nil},
		{[]string{"hook", "bash", "zsh"}, nil},
		{[]string{"hook", "bash", "--auto-refresh", "--auto-refresh"}, nil},
		{[]string{"hook", "bash", "--timeout=1s"}, nil},
		{[]string{"use", "p1"}, &UseCmd{Profile: "p1"}},
		{[]string{"use", "p1", "--shell=fish", "--region", "eu-west-1", "--duration", "90m", "--refresh", "--mfa-token", "123456"},
			&UseCmd{Profile: "p1", Shell: "fish", Region: "eu-west-1", Duration: 90 * time.Minute, Refresh: true, MFAToken: "123456"}},
		{[]string{"use"}, nil},
		{[]string{"use", "p1", "p2"}, nil},
		{[]string{"use", "p1", "--duration", "soon"}, nil},
		{[]string{"use", "p1", "--region"}, nil},
		{[]string{"use", "p1", "--region", "--refresh"}, nil},
		{[]string{"use", "--", "p1"}, nil},
		{[]string{"use", "p1", "--refresh=true"}, nil},
		{[]string{"clear"}, &ClearCmd{}},
		{[]string{"clear", "--all", "--shell", "pwsh"}, &ClearCmd{All: true, Shell: "pwsh"}},
		{[]string{"clear", "extra"}, nil},
		{[]string{"list", "--json"}, &ListCmd{JSON: true}},
		{[]string{"status", "--verify"}, &StatusCmd{Verify: true}},
		{[]string{"version"}, VersionCmd{}},
		{[]string{ProfilesCommand}, CompleteProfilesCmd{}},
		{[]string{"doctor"}, nil},
		{[]string{"--version"}, nil},
		{nil, nil},
	} {
		got, ok := ParseFast(tc.args)
		if tc.want == nil {
			if ok {
				t.Errorf("ParseFast(%q) took it: %+v", tc.args, got)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFast(%q) = %+v, %v; want %+v", tc.args, got, ok, tc.want)
		}
	}
}
