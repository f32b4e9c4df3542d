package cmdline

import (
	"reflect"
	"testing"

	"github.com/awsenv/awsenv/internal/cli"
)

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

// The lean binary's hand-parsed forms (cli.ParseFast) must read every
// command line they take exactly as the grammar does.
func TestFastFormsAgreeWithTheGrammar(t *testing.T) {
	for _, args := range [][]string{
		{"use", "p1"},
		{"use", "p1", "--shell=fish", "--region", "eu-west-1", "--duration", "90m", "--refresh", "--mfa-token", "123456"},
		{"use", "--refresh", "p1", "--duration=1h"},
		{"clear"}, {"clear", "--all"}, {"clear", "--shell", "zsh", "--all"},
		{"hook"}, {"hook", "bash"}, {"hook", "fish", "--auto-refresh"}, {"hook", "--auto-refresh", "pwsh"},
		{"prompt"}, {"prompt", "--format", "%p %t", "--shell", "zsh", "--color=never"}, {"prompt", "--shell="},
		{"list"}, {"list", "--json"}, {"status"}, {"status", "--verify"}, {"version"}, {cli.ProfilesCommand},
	} {
		fast, ok := cli.ParseFast(args)
		if !ok {
			t.Errorf("ParseFast(%q) did not take it", args)
			continue
		}
		var grammar CLI
		parser, err := newParser(&grammar, cli.NewApp(nil))
		if err != nil {
			t.Fatal(err)
		}
		ctx, err := parser.Parse(args)
		if err != nil {
			t.Errorf("grammar: %q: %v", args, err)
			continue
		}
		parsed := ctx.Selected().Target.Interface()
		got := reflect.ValueOf(fast)
		if got.Kind() == reflect.Pointer {
			got = got.Elem()
		}
		if !reflect.DeepEqual(got.Interface(), parsed) {
			t.Errorf("%q: ParseFast gives %+v, the grammar %+v", args, got.Interface(), parsed)
		}
	}
}
