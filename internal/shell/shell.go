// Package shell renders environment changes as statements that one shell
// evaluates exactly: every byte a value can hold comes back unchanged.
package shell

import (
	"errors"
	"fmt"
	"strings"
)

// Shell writes statements in one shell's language. Each implementation
// lives in a file of its own, as direnv does.
type Shell interface {
	// Name is the name users pass to --shell.
	Name() string
	// Export sets and exports a variable. The caller has validated name.
	Export(b *strings.Builder, name, value string) error
	// Unset removes a variable and must leave the status 0 whether or not
	// it was set, so that `... | source; and cmd` works.
	Unset(b *strings.Builder, name string)
	// Hook returns the prompt hook that `awsenv hook` prints, or an
	// error wrapping ErrNoHook.
	Hook(o HookOptions) (string, error)
	// Eval is the command line that runs awsenv with args (quoted for
	// this shell where they need it) and has this shell evaluate what it
	// prints.
	Eval(args ...string) string
	// Arg quotes s as one word of a command line, when it needs quoting.
	Arg(s string) string
	// Setup is the line that installs the hook and the file it goes in;
	// both are empty for a shell without a hook.
	Setup() (line, file string)
}

// Change is one variable to set or remove.
type Change struct {
	Name  string
	Value string
	Unset bool
}

// Set returns a Change that exports name=value.
func Set(name, value string) Change { return Change{Name: name, Value: value} }

// Unset returns a Change that removes name.
func Unset(name string) Change { return Change{Name: name, Unset: true} }

// ErrNUL is returned for a value no environment can hold.
var ErrNUL = errors.New("contains a NUL byte, which no environment variable can hold")

// Render returns the statements for changes, or an error and nothing: a
// half-rendered script must never reach eval.
func Render(sh Shell, changes []Change) (string, error) {
	var b strings.Builder
	for _, c := range changes {
		if !ValidName(c.Name) {
			return "", fmt.Errorf("%q is not a valid environment variable name", c.Name)
		}
		if c.Unset {
			sh.Unset(&b, c.Name)
			continue
		}
		if strings.IndexByte(c.Value, 0) >= 0 {
			return "", fmt.Errorf("the value of %s %w", c.Name, ErrNUL)
		}
		if err := sh.Export(&b, c.Name, c.Value); err != nil {
			return "", fmt.Errorf("the value of %s: %w", c.Name, err)
		}
	}
	return b.String(), nil
}

// ValidName reports whether name is a portable variable name: every shell
// here accepts it unquoted, so it needs no escaping of its own.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

var shells = map[string]Shell{
	"sh":   posix{name: "sh"},
	"bash": posix{name: "bash"},
	"zsh":  posix{name: "zsh"},
	"fish": fish{},
	"pwsh": pwsh{},
}

// aliases maps process and user spellings onto the shells above.
var aliases = map[string]string{
	"powershell": "pwsh",
	"dash":       "sh",
	"ash":        "sh",
	"ksh":        "sh",
	"mksh":       "sh",
	"busybox":    "sh",
}

// Lookup returns the shell called name (case-insensitive; a login shell's
// leading "-" and a Windows ".exe" are ignored).
func Lookup(name string) (Shell, bool) {
	n := strings.ToLower(strings.TrimPrefix(name, "-"))
	n = strings.TrimSuffix(n, ".exe")
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	if a, ok := aliases[n]; ok {
		n = a
	}
	sh, ok := shells[n]
	return sh, ok
}

// Names lists the names --shell accepts, the interactive shells first.
func Names() []string {
	return []string{"bash", "zsh", "fish", "pwsh", "sh"}
}

// Cmd is the command line `awsenv ARGS`, each argument quoted for sh,
// bash and zsh where it needs it: for a suggestion in a message, when the
// person's shell is not known.
func Cmd(args ...string) string { return commandLine(shells["sh"], args) }

// commandLine is `awsenv ARGS` with each argument quoted for sh.
func commandLine(sh Shell, args []string) string {
	var b strings.Builder
	b.WriteString("awsenv")
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(sh.Arg(a))
	}
	return b.String()
}

// plainWord reports whether s means itself as a word in every shell here.
func plainWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("+:,./_-", c) >= 0:
		default:
			return false
		}
	}
	return true
}
