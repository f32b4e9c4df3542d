package cli

import (
	"os"
	"strings"
	"time"
)

// Fast runs the command lines the lean awsenv binary answers by itself:
// the ones shells run at every prompt and start (prompt, hook), `use` and
// `clear` (with cached credentials `use` never needs the SDK), and the
// small read-only commands (list, status, version, the completion
// scripts' profile names). It takes plain forms only: a command, its
// positional argument, and its flags as --name, --name=value or --name
// value, each once. Anything else (help, a short flag, a typo) is not
// taken (ok false), and main hands the command line to awsenv-sdk, whose
// grammar (package cmdline) parses it and says what is wrong. The forms
// here give the same command values as the grammar: cmdline's tests hold
// the two to each other.
//
// backend is nil in the lean binary: a command that needs AWS (`use` when
// the cache has nothing) then hands the command line to the companion.
func Fast(args []string, backend Backend) (code int, ok bool) {
	if len(args) > 0 && args[0] == "prompt-hook" {
		return promptHook(args[1:], os.Stdout, os.Stderr), true
	}
	cmd, ok := ParseFast(args)
	if !ok {
		return 0, false
	}
	app := NewApp(backend)
	return ExitCode(app, cmd.Run(app)), true
}

// Runner is a parsed command.
type Runner interface{ Run(*App) error }

// fastForm is a command's plain form: which flags it takes with and
// without a value, and how to build the command from them.
type fastForm struct {
	bools, values []string
	build         func(pos []string, flags map[string]string) (Runner, bool)
}

var fastForms = map[string]fastForm{
	"use": {
		bools:  []string{"--refresh"},
		values: []string{"--shell", "--region", "--duration", "--mfa-token"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			if len(pos) != 1 {
				return nil, false
			}
			c := &UseCmd{Profile: pos[0], Shell: f["--shell"], Region: f["--region"], MFAToken: f["--mfa-token"]}
			_, c.Refresh = f["--refresh"]
			if d, set := f["--duration"]; set {
				var err error
				if c.Duration, err = time.ParseDuration(d); err != nil {
					return nil, false
				}
			}
			return c, true
		},
	},
	"clear": {
		bools:  []string{"--all"},
		values: []string{"--shell"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			c := &ClearCmd{Shell: f["--shell"]}
			_, c.All = f["--all"]
			return c, len(pos) == 0
		},
	},
	"hook": {
		bools: []string{"--auto-refresh"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			c := &HookCmd{}
			_, c.AutoRefresh = f["--auto-refresh"]
			if len(pos) == 1 {
				c.Shell = pos[0]
			}
			return c, len(pos) <= 1
		},
	},
	"prompt": {
		values: []string{"--format", "--shell", "--color"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			c := &PromptCmd{Format: DefaultPromptFormat, Shell: f["--shell"], Color: "auto"}
			if v, set := f["--format"]; set {
				c.Format = v
			}
			if v, set := f["--color"]; set {
				c.Color = v
			}
			ok := len(pos) == 0 && oneOf(c.Shell, "bash", "zsh", "fish", "pwsh", "") && oneOf(c.Color, "auto", "always", "never")
			return c, ok
		},
	},
	"list": {
		bools: []string{"--json"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			c := &ListCmd{}
			_, c.JSON = f["--json"]
			return c, len(pos) == 0
		},
	},
	"status": {
		bools: []string{"--verify"},
		build: func(pos []string, f map[string]string) (Runner, bool) {
			c := &StatusCmd{}
			_, c.Verify = f["--verify"]
			return c, len(pos) == 0
		},
	},
	"version": {
		build: func(pos []string, _ map[string]string) (Runner, bool) { return VersionCmd{}, len(pos) == 0 },
	},
	ProfilesCommand: {
		build: func(pos []string, _ map[string]string) (Runner, bool) { return CompleteProfilesCmd{}, len(pos) == 0 },
	},
}

// ParseFast parses args in the plain form of its command, if it has one.
func ParseFast(args []string) (Runner, bool) {
	if len(args) == 0 {
		return nil, false
	}
	form, ok := fastForms[args[0]]
	if !ok {
		return nil, false
	}
	var pos []string
	flags := map[string]string{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			pos = append(pos, a)
			continue
		}
		name, value, inline := strings.Cut(a, "=")
		if _, seen := flags[name]; seen {
			return nil, false
		}
		switch {
		case oneOf(name, form.bools...) && !inline:
			flags[name] = ""
		case oneOf(name, form.values...):
			if !inline {
				if i+1 == len(args) || strings.HasPrefix(args[i+1], "-") {
					return nil, false
				}
				i++
				value = args[i]
			}
			flags[name] = value
		default:
			return nil, false // --help, -h, --, --timeout, a typo: the grammar's
		}
	}
	return form.build(pos, flags)
}

func oneOf(s string, set ...string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}
