package shell

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// pwsh writes PowerShell. Two facts shape it:
//   - `awsenv use p | Invoke-Expression` hands PowerShell one line at a
//     time, so a statement may never span lines;
//   - PowerShell decodes a native command's output with the console's code
//     page, which is not UTF-8 on many Windows machines.
//
// So the output is printable ASCII only: every other character is written
// as [char]0xNNNN and joined to single-quoted runs with +. Inside single
// quotes PowerShell treats ' and the typographic quotes U+2018..U+201B as
// quote characters; those never appear literally, and ' is doubled.
type pwsh struct{}

func (pwsh) Name() string { return "pwsh" }

// ErrInvalidUTF8 is returned for bytes a Windows (UTF-16) environment
// cannot hold.
var ErrInvalidUTF8 = errors.New("is not valid UTF-8, which a PowerShell environment variable cannot hold")

func (pwsh) Export(b *strings.Builder, name, value string) error {
	q, err := QuotePwsh(value)
	if err != nil {
		return err
	}
	b.WriteString("$Env:")
	b.WriteString(name)
	b.WriteString(" = ")
	b.WriteString(q)
	b.WriteString("\n")
	return nil
}

// --shell pwsh: on Windows the parent process may be a launcher that
// awsenv cannot name.
func (p pwsh) Eval(args ...string) string {
	return commandLine(p, args) + " --shell pwsh | Invoke-Expression"
}

func (pwsh) Arg(s string) string {
	if plainWord(s) {
		return s
	}
	q, err := QuotePwsh(s)
	if err != nil {
		q, _ = QuotePwsh(strings.ToValidUTF8(s, "\uFFFD"))
	}
	return q
}

func (pwsh) Setup() (line, file string) {
	return "Invoke-Expression (& awsenv hook pwsh | Out-String)", "$PROFILE"
}

// Remove-Item, not assignment of "": an empty variable still exists for
// the tools that test whether it is set. Test-Path keeps $? true when it
// was not set.
func (pwsh) Unset(b *strings.Builder, name string) {
	fmt.Fprintf(b, "if (Test-Path Env:%s) { Remove-Item Env:%s }\n", name, name)
}

// QuotePwsh returns a PowerShell string expression whose value is s. It
// always begins with a quoted string, so that + concatenates rather than
// adding character codes.
func QuotePwsh(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrInvalidUTF8
	}
	var b strings.Builder
	b.WriteByte('\'')
	open := true
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			if !open {
				b.WriteString(" + '")
				open = true
			}
			if r == '\'' {
				b.WriteByte('\'')
			}
			b.WriteRune(r)
			continue
		}
		if open {
			b.WriteByte('\'')
			open = false
		}
		// UTF-16 code units: [char] holds one, and astral characters such
		// as emoji are two.
		if r > 0xffff {
			r -= 0x10000
			fmt.Fprintf(&b, " + [char]0x%04X + [char]0x%04X", 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&b, " + [char]0x%04X", r)
	}
	if open {
		b.WriteByte('\'')
	}
	return b.String(), nil
}

// Hook returns the PowerShell hook. Its messages become .NET format
// strings, {0} for the first %s and so on.
func (pwsh) Hook(o HookOptions) (string, error) {
	if o.Path == "" {
		return "", errors.New("the path of the awsenv executable is unknown")
	}
	bin, err := QuotePwsh(o.Path)
	if err != nil {
		return "", fmt.Errorf("the path of awsenv, %q, %w", o.Path, err)
	}
	r := o.Rules
	var qerr error
	quote := func(s string) string {
		q, err := QuotePwsh(s)
		if err != nil {
			qerr = err
		}
		return q
	}
	vars := hookVars(o, bin, quote)
	for k, m := range r.Messages.list() {
		vars[k] = quote(dotnetFormat(m))
	}
	var tools []string
	for _, t := range r.Tools {
		tools = append(tools, "@('"+t.Var+"', "+quote(t.Name)+")")
	}
	vars["TOOLS"] = strings.Join(tools, ", ")
	if qerr != nil {
		return "", qerr
	}
	vars["CLEAR"] = "'" + strings.Join(r.Clear, "', '") + "'"
	vars["PROFILE_VARS"] = "'" + strings.Join(r.ProfileVars, "', '") + "'"
	vars["EXPIRY_VARS"] = "'" + strings.Join(r.ExpiryVars, "', '") + "'"
	watched := "[bool]$Env:" + r.KeyVar
	for _, v := range r.Watch {
		watched += ", $Env:" + v
	}
	vars["WATCHED"] = watched
	return expand(pwshHook, vars), nil
}

// dotnetFormat turns a printf format whose only directives are %s into a
// .NET composite format: braces doubled, each %s numbered in turn.
func dotnetFormat(s string) string {
	s = strings.NewReplacer("{", "{{", "}", "}}").Replace(s)
	var b strings.Builder
	for n := 0; ; n++ {
		i := strings.Index(s, "%s")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		fmt.Fprintf(&b, "%s{%d}", s[:i], n)
		s = s[i+2:]
	}
}
