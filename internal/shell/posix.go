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
