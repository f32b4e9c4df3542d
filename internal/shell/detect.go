package shell

import (
	"fmt"
	"os"
	"strings"
)

// Detect picks the shell: the --shell flag, else AWSENV_SHELL, else the
// name of the parent process (the shell running `eval "$(awsenv ...)"` or
// `awsenv ... | source`), else POSIX sh, whose statements bash and zsh
// also read.
func Detect(flag string) (Shell, error) {
	for _, choice := range []struct{ name, from string }{
		{flag, ""},
		{os.Getenv("AWSENV_SHELL"), " in AWSENV_SHELL"},
	} {
		if choice.name == "" {
			continue
		}
		if sh, ok := Lookup(choice.name); ok {
			return sh, nil
		}
		return nil, fmt.Errorf("unknown shell %q%s: use one of %s", choice.name, choice.from, strings.Join(Names(), ", "))
	}
	if sh, ok := Lookup(parentName()); ok {
		return sh, nil
	}
	return shells["sh"], nil
}
