package completion

import (
	"fmt"
	"github.com/awsenv/awsenv/internal/shell"
	"strings"
)

func fishCompletion(m Model) string {
	var b strings.Builder
	b.WriteString("# fish completion for awsenv.\n" + generatedBy("fish"))
	b.WriteString(`# Install: copy it to ~/.config/fish/completions/awsenv.fish.

function __awsenv_profiles
    awsenv ` + ProfilesCommand + ` 2>/dev/null
end

# __awsenv_takes_value CMD FLAG: whether FLAG is followed by its value.
function __awsenv_takes_value --argument-names cmd flag
    switch "$cmd $flag"
`)
	for _, c := range m.Commands {
		var pats []string
		for _, f := range c.Flags {
			if f.Takes {
				pats = append(pats, shell.QuoteFish(c.Name+" --"+f.Name))
				if f.Short != 0 {
					pats = append(pats, shell.QuoteFish(c.Name+" -"+string(f.Short)))
				}
			}
		}
		if len(pats) > 0 {
			fmt.Fprintf(&b, "        case %s\n            return 0\n", strings.Join(pats, " "))
		}
	}
	var global []string
	for _, f := range m.Global {
		if f.Takes {
			global = append(global, shell.QuoteFish(" --"+f.Name))
		}
	}
	if len(global) > 0 {
		fmt.Fprintf(&b, "        case %s\n            return 0\n", strings.Join(global, " "))
	}
	b.WriteString(`    end
    return 1
end

# __awsenv_state prints the command and how many of its positional
# arguments come before the cursor, or "-- N" inside exec's command line.
function __awsenv_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmd ''
    set -l pos 0
    set -l skip 0
    for i in (seq (count $tokens))
        set -l t $tokens[$i]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case '--'
                if test -n "$cmd"
                    printf '%s\n' "-- "(math (count $tokens) - $i)
                    return
                end
            case '-*=*'
            case '-*'
                if __awsenv_takes_value "$cmd" $t
                    set skip 1
                end
            case '*'
                if test -z "$cmd"
                    set cmd $t
                else
                    set pos (math $pos + 1)
                end
        end
    end
    if test $skip = 1
        # The cursor is at a flag's value: fish offers it from the flag.
        printf '%s\n' "$cmd value"
        return
    end
    printf '%s\n' "$cmd $pos"
end

# __awsenv_at CMD N: the cursor is at CMD's positional argument N (from 0).
function __awsenv_at --argument-names cmd n
    test (__awsenv_state) = "$cmd $n"
end

# __awsenv_in CMD: the cursor is in CMD's arguments.
function __awsenv_in --argument-names cmd
    string match -q -- "$cmd *" (__awsenv_state)
end

complete -c awsenv -f
`)
	for _, c := range m.Commands {
		fmt.Fprintf(&b, "complete -c awsenv -n '__awsenv_at \"\" 0' -a %s -d %s\n", c.Name, shell.QuoteFish(c.Help))
	}
	writeFish := func(cond string, f Flag) {
		line := "complete -c awsenv -n " + shell.QuoteFish(cond) + " -l " + f.Name
		if f.Short != 0 {
			line += " -s " + string(f.Short)
		}
		if f.Takes {
			line += " -x" // a value, not a file
			switch {
			case len(f.Words) > 0:
				line += " -a " + shell.QuoteFish(strings.Join(f.Words, " "))
			case f.Source == valueProfiles:
				line += " -a '(__awsenv_profiles)'"
			}
		}
		b.WriteString(line + " -d " + shell.QuoteFish(f.Help) + "\n")
	}
	for _, f := range m.Global {
		writeFish(`__awsenv_at "" 0`, f)
	}
	for _, c := range m.Commands {
		for _, f := range c.Flags {
			writeFish("__awsenv_in "+c.Name, f)
		}
		for i, a := range c.Args {
			cond := fmt.Sprintf("__awsenv_at %s %d", c.Name, i)
			switch {
			case len(a.Words) > 0:
				fmt.Fprintf(&b, "complete -c awsenv -n %s -a %s\n", shell.QuoteFish(cond), shell.QuoteFish(strings.Join(a.Words, " ")))
			case a.Source == valueProfiles:
				fmt.Fprintf(&b, "complete -c awsenv -n %s -a '(__awsenv_profiles)' -d profile\n", shell.QuoteFish(cond))
			case a.Source == valueCommand:
				fmt.Fprintf(&b, "complete -c awsenv -n %s -a '(__fish_complete_command)'\n", shell.QuoteFish(cond))
			}
		}
	}
	b.WriteString(`complete -c awsenv -n 'test (__awsenv_state) = "-- 0"' -a '(__fish_complete_command)'
complete -c awsenv -n 'string match -qr -- "^-- [1-9]" (__awsenv_state)' -F
`)
	return b.String()
}
