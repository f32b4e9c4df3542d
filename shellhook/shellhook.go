// Package shellhook holds the shell hooks that `awsenv hook SHELL` prints:
// one script per shell, embedded in the binary, and the Go version of the
// logic they share, which the fish hook and `awsenv prompt` run and which
// the tests hold the shell versions to.
package shellhook

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

var (
	//go:embed hook.bash
	bashScript string
	//go:embed hook.zsh
	zshScript string
	//go:embed hook.fish
	fishScript string
	//go:embed hook.ps1
	pwshScript string
)

// Shells are the shells with a hook.
var Shells = []string{"bash", "zsh", "fish", "pwsh"}

// Options shape a hook script.
type Options struct {
	// Path is the awsenv executable the hook runs.
	Path string
	// OnPath says that `awsenv` found on PATH is Path. bash, zsh and fish
	// then run `command awsenv`, which keeps working after an upgrade
	// moves the executable (Homebrew's versioned Cellar paths); otherwise
	// they run Path itself. PowerShell always runs Path: it has no
	// `command`, and `& awsenv` inside the function awsenv would call the
	// function again.
	OnPath bool
	// AutoRefresh is the default of AWSENV_AUTO_REFRESH written into the
	// script (`awsenv hook SHELL --auto-refresh`); the variable, when set,
	// still decides.
	AutoRefresh bool
}

// Script returns the hook for name, one of Shells.
func Script(name string, o Options) (string, error) {
	var script, bin string
	quote := shell.QuotePOSIX
	switch name {
	case "bash":
		script = bashScript
	case "zsh":
		script = zshScript
	case "fish":
		script, quote = fishScript, shell.QuoteFish
	case "pwsh":
		q, err := shell.QuotePwsh(o.Path)
		if err != nil {
			return "", fmt.Errorf("the path of awsenv, %q, %w", o.Path, err)
		}
		script, bin = pwshScript, q
	default:
		return "", fmt.Errorf("there is no hook for %q: use one of %s", name, strings.Join(Shells, ", "))
	}
	if name != "pwsh" {
		bin = "command awsenv"
		if !o.OnPath {
			bin = "command " + quote(o.Path)
		}
	}
	if o.Path == "" && (name == "pwsh" || !o.OnPath) {
		return "", fmt.Errorf("the path of the awsenv executable is unknown")
	}
	var names []string
	for _, c := range creds.ClearChanges(false) {
		names = append(names, c.Name)
	}
	clear := strings.Join(names, " ")
	if name == "pwsh" {
		clear = "'" + strings.Join(names, "', '") + "'"
	}
	auto := "0"
	if o.AutoRefresh {
		auto = "1"
	}
	return expand(script, map[string]string{
		"BIN":     bin,
		"AUTO":    auto,
		"CLEAR":   clear,
		"WARN":    seconds(DefaultWarnBefore),
		"REFRESH": seconds(DefaultRefreshBefore),
		"TIMEOUT": DefaultRefreshTimeout.String(),
	}), nil
}

// expand replaces each @NAME@ of script with vars[NAME] in one pass. It
// runs at the start of every shell: a strings.Replacer builds more than
// this needs.
func expand(script string, vars map[string]string) string {
	var b strings.Builder
	b.Grow(len(script) + 256)
	for {
		i := strings.IndexByte(script, '@')
		if i < 0 {
			b.WriteString(script)
			return b.String()
		}
		j := strings.IndexByte(script[i+1:], '@')
		if v, ok := vars[script[i+1:i+1+max(j, 0)]]; j >= 0 && ok {
			b.WriteString(script[:i])
			b.WriteString(v)
			script = script[i+2+j:]
			continue
		}
		b.WriteString(script[:i+1])
		script = script[i+1:]
	}
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }
