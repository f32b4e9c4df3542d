package completion

import (
	"fmt"
	"github.com/awsenv/awsenv/internal/shell"
	"strings"
)

func bashCompletion(m Model) string {
	var b strings.Builder
	b.WriteString("# bash completion for awsenv.\n" + generatedBy("bash"))
	b.WriteString(`# Install: source it from ~/.bashrc, or copy it to
# ~/.local/share/bash-completion/completions/awsenv.

# _awsenv_flag_values CMD FLAG prints what FLAG's value completes to (words,
# or @profiles, or @ for anything) and fails if FLAG takes no value.
_awsenv_flag_values() {
    case "$1 $2" in
`)
	writeBashFlagCases(&b, "*", m.Global)
	for _, c := range m.Commands {
		writeBashFlagCases(&b, c.Name, c.Flags[:len(c.Flags)-len(m.Global)])
	}
	b.WriteString(`        *) return 1 ;;
    esac
}

# _awsenv_flags CMD prints CMD's flags.
_awsenv_flags() {
    case "$1" in
`)
	for _, c := range m.Commands {
		fmt.Fprintf(&b, "        %s) echo %s ;;\n", c.Name, shell.QuotePOSIX(strings.Join(flagNames(c.Flags), " ")))
	}
	fmt.Fprintf(&b, "        *) echo %s ;;\n    esac\n}\n", shell.QuotePOSIX(strings.Join(flagNames(m.Global), " ")))
	b.WriteString(`
# _awsenv_args CMD prints what CMD's positional arguments complete to, in
# order, the same way.
_awsenv_args() {
    case "$1" in
`)
	for _, c := range m.Commands {
		var args []string
		for _, a := range c.Args {
			args = append(args, strings.ReplaceAll(wordsOrSource(a.Words, a.Source), " ", ","))
		}
		fmt.Fprintf(&b, "        %s) echo %s ;;\n", c.Name, shell.QuotePOSIX(strings.Join(args, " ")))
	}
	b.WriteString(`    esac
}

# _awsenv_offer WHAT CUR sets COMPREPLY to the words of WHAT that start
# with CUR.
_awsenv_offer() {
    local IFS=$'\n' w words
    case "$1" in
        @profiles) words=$(awsenv ` + ProfilesCommand + ` 2>/dev/null) ;;
        @command) COMPREPLY=($(compgen -c -- "$2")); return ;;
        @) COMPREPLY=(); return ;;
        *) words=${1//[ ,]/$'\n'} ;;
    esac
    # Matched here, not by compgen -W, which runs $(...) and backticks in
    # its words: profile names come from files that others write. Each is
    # quoted for the command line it goes into.
    COMPREPLY=()
    while IFS= read -r w; do
        case $w in
            "$2"*) printf -v w %q "$w"; COMPREPLY+=("$w") ;;
        esac
    done <<<"$words"
}

_awsenv() {
    local cur=${COMP_WORDS[COMP_CWORD]} cmd= w i=1 pos=0 values
    COMPREPLY=()
    while [ "$i" -lt "$COMP_CWORD" ]; do
        w=${COMP_WORDS[i]}
        case $w in
            --)
                if [ -n "$cmd" ]; then
                    # The rest is exec's command line: complete the
                    # command, then files.
                    if [ "$((COMP_CWORD - i))" -eq 1 ]; then
                        _awsenv_offer @command "$cur"
                    else
                        compopt -o filenames 2>/dev/null
                        COMPREPLY=($(compgen -f -- "$cur"))
                    fi
                    return
                fi ;;
            -*=*) ;;
            -*)
                # bash splits --flag=value at the "=" (COMP_WORDBREAKS).
                if [ "${COMP_WORDS[i+1]}" = "=" ]; then
                    i=$((i + 2))
                elif _awsenv_flag_values "$cmd" "$w" >/dev/null; then
                    i=$((i + 1))
                fi ;;
            *)
                if [ -z "$cmd" ]; then
                    cmd=$w
                else
                    pos=$((pos + 1))
                    set -- $(_awsenv_args "$cmd")
                    if [ "$pos" -ge "$#" ] && [ "${!#}" = @command ]; then
                        compopt -o filenames 2>/dev/null
                        COMPREPLY=($(compgen -f -- "$cur"))
                        return
                    fi
                fi ;;
        esac
        i=$((i + 1))
    done

    # The value of a flag: "--shell b" or "--shell=b" (three words to bash).
    local prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif [ "$cur" = "=" ]; then
        prev=${COMP_WORDS[COMP_CWORD-1]}
        cur=
    fi
    case $prev in
        -*)
            if values=$(_awsenv_flag_values "$cmd" "$prev"); then
                _awsenv_offer "$values" "$cur"
                return
            fi ;;
    esac

    case $cur in
        -*)
            _awsenv_offer "$(_awsenv_flags "$cmd")" "$cur"
            return ;;
    esac
    if [ -z "$cmd" ]; then
        _awsenv_offer "` + strings.Join(commandNames(m), " ") + `" "$cur"
        return
    fi
    set -- $(_awsenv_args "$cmd")
    if [ "$pos" -lt "$#" ]; then
        shift "$pos"
        _awsenv_offer "$1" "$cur"
    fi
}

complete -F _awsenv awsenv
`)
	return b.String()
}

func writeBashFlagCases(b *strings.Builder, cmd string, flags []Flag) {
	for _, f := range flags {
		if !f.Takes {
			continue
		}
		pat := shell.QuotePOSIX(cmd + " --" + f.Name)
		if cmd == "*" {
			pat = "*" + shell.QuotePOSIX(" --"+f.Name)
		}
		if f.Short != 0 {
			if cmd == "*" {
				pat += "|*" + shell.QuotePOSIX(" -"+string(f.Short))
			} else {
				pat += "|" + shell.QuotePOSIX(cmd+" -"+string(f.Short))
			}
		}
		fmt.Fprintf(b, "        %s) echo %s ;;\n", pat, shell.QuotePOSIX(wordsOrSource(f.Words, f.Source)))
	}
}
