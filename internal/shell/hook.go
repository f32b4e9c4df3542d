package shell

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The hook scripts, one per shell. Their logic is specified in Go by
// internal/session (Step, NextChange) and held to it by the tests; the
// facts they share with Go arrive through HookRules.
var (
	//go:embed hook.bash
	bashHook string
	//go:embed hook.zsh
	zshHook string
	//go:embed hook.fish
	fishHook string
	//go:embed hook.ps1
	pwshHook string
)

// HookOptions shape a hook script.
type HookOptions struct {
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
	Rules       HookRules
}

// HookRules are the facts every hook script is generated with, so that
// they are written once, in Go (internal/session.HookRules).
type HookRules struct {
	// KeyVar holds the credentials; the hook only asks whether it is set.
	KeyVar string
	// ExpiryVars hold the expiry; the first that is set decides.
	ExpiryVars []string
	// ProfileVars name the profile shown, the first that is set, else
	// DefaultName.
	ProfileVars []string
	DefaultName string
	// Tools name what set credentials awsenv did not, each by a variable
	// it leaves set; the first set decides, else OtherTool.
	Tools     []HookTool
	OtherTool string
	// Watch are the variables besides KeyVar that the fast path compares
	// with their values at the last prompt: any change means recompute.
	Watch []string
	// Clear are the variables AWSENV_ON_EXPIRY=clear removes.
	Clear []string
	// The defaults of AWSENV_WARN_BEFORE, AWSENV_REFRESH_BEFORE and
	// AWSENV_REFRESH_TIMEOUT.
	WarnBefore, RefreshBefore, RefreshTimeout time.Duration
	// The default of AWSENV_REFRESH_BACKOFF, the wait after a failed
	// auto-refresh, which doubles up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	Messages            HookMessages
}

// HookTool is a tool that sets credentials, known by a variable it sets.
type HookTool struct{ Var, Name string }

// HookMessages are the lines a hook writes to stderr, as printf formats
// whose only directives are %s.
type HookMessages struct {
	ExpiredCleared string // %s: the profile shown, the profile for `awsenv use`
	ExpiredManaged string // %s: the profile shown
	ExpiredForeign string // %s: the tool that set them (HookRules.Tools)
	SoonManaged    string // %s: the profile shown, the time left
	SoonForeign    string // %s: the tool that set them, the time left
	Capped         string // %s: AWSENV_REFRESH_BEFORE, the profile shown, the session length, the window used
	RetryBefore    string // %s: the profile shown, the wait before the next attempt
	RetryAfter     string // %s: the profile shown, the wait (the credentials have expired)
}

// list is every message, for the checks and the PowerShell conversion.
func (m HookMessages) list() map[string]string {
	return map[string]string{
		"MSG_EXPIRED_CLEAR":  m.ExpiredCleared,
		"MSG_EXPIRED_AWSENV": m.ExpiredManaged,
		"MSG_EXPIRED_OTHER":  m.ExpiredForeign,
		"MSG_SOON_AWSENV":    m.SoonManaged,
		"MSG_SOON_OTHER":     m.SoonForeign,
		"MSG_CAPPED":         m.Capped,
		"MSG_RETRY_BEFORE":   m.RetryBefore,
		"MSG_RETRY_AFTER":    m.RetryAfter,
	}
}

// ErrNoHook is returned by the Hook of a shell that has none (sh).
var ErrNoHook = errors.New("has no hook")

// Hook returns the hook script of the shell called name.
func Hook(name string, o HookOptions) (string, error) {
	sh, ok := Lookup(name)
	if !ok {
		return "", fmt.Errorf("there is no hook for %q: use one of %s", name, strings.Join(HookNames(), ", "))
	}
	if err := o.Rules.check(); err != nil {
		return "", err
	}
	s, err := sh.Hook(o)
	if errors.Is(err, ErrNoHook) {
		return "", fmt.Errorf("there is no hook for %s: use one of %s", sh.Name(), strings.Join(HookNames(), ", "))
	}
	return s, err
}

// HookNames lists the shells of Names that have a hook.
func HookNames() []string {
	var out []string
	for _, n := range Names() {
		if _, err := shells[n].Hook(HookOptions{Path: "awsenv"}); !errors.Is(err, ErrNoHook) {
			out = append(out, n)
		}
	}
	return out
}

func (r HookRules) check() error {
	names := append(append(append(append([]string{r.KeyVar}, r.ExpiryVars...), r.ProfileVars...), r.Watch...), r.Clear...)
	for _, t := range r.Tools {
		names = append(names, t.Var)
	}
	for _, n := range names {
		if !ValidName(n) {
			return fmt.Errorf("hook rules: %q is not a variable name", n)
		}
	}
	for _, m := range r.Messages.list() {
		if strings.ContainsAny(strings.ReplaceAll(m, "%s", ""), "%\\\n") {
			return fmt.Errorf("hook rules: message %q may hold no directive but %%s, no backslash and no newline", m)
		}
	}
	return nil
}

// hookVars are the placeholders every script takes.
func hookVars(o HookOptions, bin string, quote func(string) string) map[string]string {
	auto := "0"
	if o.AutoRefresh {
		auto = "1"
	}
	r := o.Rules
	vars := map[string]string{
		"BIN":             bin,
		"AUTO":            auto,
		"CLEAR":           strings.Join(r.Clear, " "),
		"WARN_BEFORE":     seconds(r.WarnBefore),
		"REFRESH_BEFORE":  seconds(r.RefreshBefore),
		"REFRESH_TIMEOUT": quote(r.RefreshTimeout.String()),
		"BACKOFF":         seconds(r.Backoff),
		"MAX_BACKOFF":     seconds(r.MaxBackoff),
		"KEY_VAR":         r.KeyVar,
		"DEFAULT_NAME":    quote(r.DefaultName),
		"OTHER_TOOL":      quote(r.OtherTool),
	}
	for k, m := range r.Messages.list() {
		vars[k] = quote(m)
	}
	return vars
}

// posixBin is how bash, zsh and fish run awsenv.
func posixBin(o HookOptions, quote func(string) string) (string, error) {
	if o.OnPath {
		return "command awsenv", nil
	}
	if o.Path == "" {
		return "", errors.New("the path of the awsenv executable is unknown")
	}
	return "command " + quote(o.Path), nil
}

// expand replaces each @NAME@ of script with vars[NAME] in one pass. It
// runs at the start of every shell: a strings.Replacer builds more than
// this needs.
func expand(script string, vars map[string]string) string {
	var b strings.Builder
	b.Grow(len(script) + 1024)
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
