package cli

import (
	"reflect"
	"testing"
)

func TestHookFast(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want *HookCmd
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
		{[]string{"use", "bash"}, nil},
	} {
		cmd, ok := hookFast(tc.args)
		if tc.want == nil {
			if ok {
				t.Errorf("hookFast(%q) took it: %+v", tc.args, cmd)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(cmd, tc.want) {
			t.Errorf("hookFast(%q) = %+v, %v; want %+v", tc.args, cmd, ok, tc.want)
		}
	}
}

// grammarFor keeps the global flags and the named command only, and the
// whole grammar for anything else.
func TestGrammarFor(t *testing.T) {
	fields := func(g any) []string {
		var names []string
		typ := reflect.TypeOf(g).Elem()
		for i := 0; i < typ.NumField(); i++ {
			names = append(names, typ.Field(i).Name)
		}
		return names
	}
	if got := fields(grammarFor([]string{"use", "p"})); !reflect.DeepEqual(got, []string{"Timeout", "Ver", "Use"}) {
		t.Errorf("use: %q", got)
	}
	if got := fields(grammarFor([]string{"__complete-profiles"})); !reflect.DeepEqual(got, []string{"Timeout", "Ver", "CompleteProfiles"}) {
		t.Errorf("__complete-profiles: %q", got)
	}
	all := reflect.TypeOf(CLI{}).NumField()
	for _, args := range [][]string{nil, {"--timeout", "1s", "use", "p"}, {"nosuch"}, {"--help"}} {
		if got := fields(grammarFor(args)); len(got) != all {
			t.Errorf("%q: %q, want the whole grammar", args, got)
		}
	}
}
