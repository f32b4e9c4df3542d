package shell

import "strings"

// fish's single quotes give meaning to two characters only: \ and '.
type fish struct{}

func (fish) Name() string { return "fish" }

func (fish) Export(b *strings.Builder, name, value string) error {
	b.WriteString("set -gx ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(QuoteFish(value))
	b.WriteString(";\n")
	return nil
}

func (f fish) Eval(args ...string) string { return commandLine(f, args) + " | source" }

func (fish) Arg(s string) string {
	if plainWord(s) {
		return s
	}
	return QuoteFish(s)
}

func (fish) Setup() (line, file string) {
	return "awsenv hook fish | source", "~/.config/fish/config.fish"
}

// `set -e` of a missing variable fails; an if whose test fails leaves the
// status 0, so `awsenv use p | source; and aws ...` goes on.
func (fish) Unset(b *strings.Builder, name string) {
	b.WriteString("if set -q ")
	b.WriteString(name)
	b.WriteString("; set -e ")
	b.WriteString(name)
	b.WriteString("; end;\n")
}

var fishQuoter = strings.NewReplacer(`\`, `\\`, `'`, `\'`)

// QuoteFish quotes s for fish.
func QuoteFish(s string) string {
	return "'" + fishQuoter.Replace(s) + "'"
}

// Hook returns the fish hook. fish has no clock of its own, so its hook
// runs `awsenv prompt-hook`, which applies the rules in Go, when anything
// may have changed; the script needs only the variables to watch.
func (fish) Hook(o HookOptions) (string, error) {
	bin, err := posixBin(o, QuoteFish)
	if err != nil {
		return "", err
	}
	r := o.Rules
	vars := hookVars(o, bin, QuoteFish)
	watched := ""
	for _, v := range r.Watch {
		watched += "|$" + v
	}
	vars["WATCHED"] = watched
	vars["EXPIRY_VARS"] = `"$` + strings.Join(r.ExpiryVars, "$") + `"`
	names := ""
	for _, v := range r.ProfileVars {
		names += `"$` + v + `" `
	}
	vars["NAMES"] = names + QuoteFish(r.DefaultName)
	return expand(fishHook, vars), nil
}
