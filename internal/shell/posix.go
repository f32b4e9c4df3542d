package shell

import "strings"

// posix serves sh, bash and zsh: all three read single-quoted strings
// byte for byte, so the only character to take care of is the quote itself.
type posix struct{ name string }

func (p posix) Name() string { return p.name }

func (posix) Export(b *strings.Builder, name, value string) error {
	b.WriteString("export ")
	b.WriteString(name)
	b.WriteByte('=')
	b.WriteString(QuotePOSIX(value))
	b.WriteString(";\n")
	return nil
}

func (p posix) Eval(args ...string) string { return `eval "$(` + commandLine(p, args) + `)"` }

func (posix) Arg(s string) string {
	if plainWord(s) {
		return s
	}
	return QuotePOSIX(s)
}

func (p posix) Setup() (line, file string) {
	switch p.name {
	case "bash":
		return `eval "$(awsenv hook bash)"`, "~/.bashrc"
	case "zsh":
		return `eval "$(awsenv hook zsh)"`, "~/.zshrc"
	}
	return "", ""
}

// unset of a variable that is not set succeeds in every POSIX shell.
func (posix) Unset(b *strings.Builder, name string) {
	b.WriteString("unset ")
	b.WriteString(name)
	b.WriteString(";\n")
}

// QuotePOSIX quotes s for sh, bash and zsh: a quote ends the string, is
// written escaped, and a new string begins.
func QuotePOSIX(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Hook returns the bash or zsh hook; sh has none.
func (p posix) Hook(o HookOptions) (string, error) {
	var script string
	switch p.name {
	case "bash":
		script = bashHook
	case "zsh":
		script = zshHook
	default:
		return "", ErrNoHook
	}
	bin, err := posixBin(o, QuotePOSIX)
	if err != nil {
		return "", err
	}
	r := o.Rules
	vars := hookVars(o, bin, QuotePOSIX)
	vars["NAME"] = posixFirstSet(r.ProfileVars, QuotePOSIX(r.DefaultName))
	vars["EXPIRY"] = posixFirstSet(r.ExpiryVars, "")
	// What the fast path compares, in double quotes: whether KeyVar is set
	// (its value changes nothing the hook shows), then each watched value.
	watched := "${" + r.KeyVar + ":+1}"
	for _, v := range r.Watch {
		watched += "|${" + v + "-}"
	}
	vars["WATCHED"] = watched
	// _awsenv_tool names what set credentials awsenv did not.
	tool := "_awsenv_tool=" + QuotePOSIX(r.OtherTool)
	for i, t := range r.Tools {
		kw := "elif"
		if i == 0 {
			kw = "if"
		}
		tool += "; " + kw + " [[ -n ${" + t.Var + "-} ]]; then _awsenv_tool=" + QuotePOSIX(t.Name)
	}
	if len(r.Tools) > 0 {
		tool += "; fi"
	}
	vars["TOOL"] = tool
	return expand(script, vars), nil
}

// posixFirstSet is the expansion ${A:-${B:-...:-last}}: the value of the
// first of names that is set and not empty, else last (a shell word).
func posixFirstSet(names []string, last string) string {
	s := last
	for i := len(names) - 1; i >= 0; i-- {
		s = "${" + names[i] + ":-" + s + "}"
	}
	return s
}
