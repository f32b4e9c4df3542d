package completion

import (
	"fmt"
	"strings"
)

// zshQuote escapes a description for an _arguments spec inside single
// quotes.
func zshQuote(s string) string {
	return strings.NewReplacer(`'`, `'\''`, `[`, `\[`, `]`, `\]`, `:`, `\:`, `\`, `\\`).Replace(s)
}

func zshFlagSpec(f Flag) string {
	help := zshQuote(f.Help)
	names := "--" + f.Name
	if f.Short != 0 {
		names = fmt.Sprintf("(-%c --%s)'{-%c,--%s}'", f.Short, f.Name, f.Short, f.Name)
	}
	spec := names
	if f.Takes {
		spec += "=" // --flag=value and --flag value
	}
	spec += "[" + help + "]"
	if f.Takes {
		action := " "
		switch {
		case len(f.Words) > 0:
			action = "(" + strings.Join(f.Words, " ") + ")"
		case f.Source == valueProfiles:
			action = "_awsenv_profiles"
		}
		spec += ":" + f.Name + ":" + action
	}
	return "'" + spec + "'"
}

func zshCompletion(m Model) string {
	var b strings.Builder
	b.WriteString("#compdef awsenv\n" + generatedBy("zsh"))
	b.WriteString(`# Install: copy it as _awsenv into a directory of $fpath, before compinit
# runs in ~/.zshrc.

_awsenv_profiles() {
    local -a profiles
    profiles=(${(f)"$(awsenv ` + ProfilesCommand + ` 2>/dev/null)"})
    _describe -t profiles 'AWS profile' profiles
}

_awsenv() {
    local curcontext=$curcontext state line ret=1
    typeset -A opt_args
    _arguments -C \
`)
	for _, f := range m.Global {
		fmt.Fprintf(&b, "        %s \\\n", zshFlagSpec(f))
	}
	b.WriteString(`        '1: :->command' \
        '*:: :->args' && ret=0
    case $state in
    command)
        local -a commands
        commands=(
`)
	for _, c := range m.Commands {
		fmt.Fprintf(&b, "            '%s:%s'\n", c.Name, strings.ReplaceAll(strings.ReplaceAll(c.Help, `'`, `'\''`), ":", `\:`))
	}
	b.WriteString(`        )
        _describe -t commands 'awsenv command' commands && ret=0
        ;;
    args)
        curcontext=${curcontext%:*:*}:awsenv-$words[1]:
        case $words[1] in
`)
	for _, c := range m.Commands {
		fmt.Fprintf(&b, "        %s)\n            _arguments -S \\\n", c.Name)
		for _, f := range c.Flags {
			fmt.Fprintf(&b, "                %s \\\n", zshFlagSpec(f))
		}
		for i, a := range c.Args {
			switch {
			case len(a.Words) > 0:
				fmt.Fprintf(&b, "                '%d:%s:(%s)' \\\n", i+1, a.Name, strings.Join(a.Words, " "))
			case a.Source == valueProfiles:
				fmt.Fprintf(&b, "                '%d:%s:_awsenv_profiles' \\\n", i+1, a.Name)
			case a.Source == valueCommand:
				// ::: narrows words to this argument's own (the command line).
				b.WriteString("                '*:::command: _normal' \\\n")
			default:
				fmt.Fprintf(&b, "                '%d:%s: ' \\\n", i+1, a.Name)
			}
		}
		b.WriteString("                && ret=0\n            ;;\n")
	}
	b.WriteString(`        esac
        ;;
    esac
    return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _awsenv "$@"
else
    compdef _awsenv awsenv
fi
`)
	return b.String()
}
