package shelltest

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	posixUnset = regexp.MustCompile(`^unset ([A-Za-z_][A-Za-z0-9_]*);$`)
	fishUnset  = regexp.MustCompile(`^if set -q ([A-Za-z_][A-Za-z0-9_]*); set -e ([A-Za-z_][A-Za-z0-9_]*); end;$`)
	pwshUnset  = regexp.MustCompile(`^if \(Test-Path Env:([A-Za-z_][A-Za-z0-9_]*)\) \{ Remove-Item Env:([A-Za-z_][A-Za-z0-9_]*) \}$`)
)

// ApplyPwsh applies a script of `awsenv ... --shell pwsh` to env, line by
// line as Invoke-Expression receives it, and fails on any line that is not
// exactly one statement the emitter may write.
func ApplyPwsh(script string, env map[string]string) error {
	if script != "" && !strings.HasSuffix(script, "\n") {
		return fmt.Errorf("script does not end with a newline: %w", ErrSyntax)
	}
	for n, line := range strings.SplitAfter(strings.TrimSuffix(script, "\n"), "\n") {
		line = strings.TrimSuffix(line, "\n")
		if m := pwshUnset.FindStringSubmatch(line); m != nil && m[1] == m[2] {
			delete(env, m[1])
			continue
		}
		name, value, err := DecodePwsh(line + "\n")
		if err != nil {
			return fmt.Errorf("line %d %q: %w", n+1, line, err)
		}
		env[name] = value
	}
	return nil
}

// ApplyPOSIX does the same for sh, bash and zsh scripts.
func ApplyPOSIX(script string, env map[string]string) error {
	return apply(script, env, posixUnset, DecodePOSIX)
}

// ApplyFish does the same for fish scripts.
func ApplyFish(script string, env map[string]string) error {
	return apply(script, env, fishUnset, DecodeFish)
}

// apply reads statements that may span lines (a quoted value may hold a
// line break) by decoding the longest prefix that ends a statement.
func apply(script string, env map[string]string, unset *regexp.Regexp, decode func(string) (string, string, error)) error {
	lines := strings.SplitAfter(script, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		if m := unset.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n")); m != nil && (len(m) < 3 || m[1] == m[2]) {
			delete(env, m[1])
			continue
		}
		stmt := ""
		ok := false
		for j := i; j < len(lines) && !ok; j++ {
			stmt += lines[j]
			if name, value, err := decode(stmt); err == nil {
				env[name] = value
				i, ok = j, true
			}
		}
		if !ok {
			return fmt.Errorf("line %d %q: %w", i+1, lines[i], ErrSyntax)
		}
	}
	return nil
}
