package session

import (
	"fmt"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// Messages are what the hook says on stderr, written once here: Step
// formats them, and the bash, zsh and PowerShell scripts are generated
// with them (see HookRules).
var Messages = shell.HookMessages{
	ExpiredCleared: "awsenv: the credentials of profile %s expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use %s` for new ones",
	ExpiredManaged: "awsenv: the credentials of profile %s have expired: run `awsenv refresh` to renew them",
	ExpiredForeign: "awsenv: the credentials of profile %s have expired: renew them with the tool that set them, or run `awsenv use PROFILE`",
	SoonManaged:    "awsenv: the credentials of profile %s expire in %s: run `awsenv refresh` to renew them",
	SoonForeign:    "awsenv: the credentials of profile %s expire in %s: renew them with the tool that set them, or run `awsenv use PROFILE`",
}

// HookRules are the facts the hook scripts are built from.
func HookRules() shell.HookRules {
	var clear []string
	for _, c := range creds.ClearChanges(false) {
		clear = append(clear, c.Name)
	}
	watch := append([]string{}, ExpiryVars...)
	watch = append(watch, profileVars...)
	watch = append(watch, WarnBeforeVar, RefreshBeforeVar, AutoRefreshVar, OnExpiryVar, PromptVar)
	return shell.HookRules{
		KeyVar:         creds.AccessKeyID,
		ExpiryVars:     ExpiryVars,
		ProfileVars:    profileVars,
		DefaultName:    "aws",
		Watch:          watch,
		Clear:          clear,
		WarnBefore:     DefaultWarnBefore,
		RefreshBefore:  DefaultRefreshBefore,
		RefreshTimeout: DefaultRefreshTimeout,
		Messages:       Messages,
	}
}

// Memory is what a hook remembers between prompts, per expiry value, so
// that it says each thing once and tries each refresh once.
type Memory struct {
	Said  string // "soon RAW" or "expired RAW": the last announcement
	Tried string // "due RAW" or "expired RAW": the last refresh attempt
}

// Action is what the hook does at one prompt.
type Action struct {
	// Refresh: run `awsenv refresh --no-prompt`, evaluate its output on
	// success, then take the step again with mayRefresh false.
	Refresh bool
	Prompt  string // the new AWSENV_PROMPT
	Message string // one line for stderr, or ""
	Clear   bool   // unset the credentials (AWSENV_ON_EXPIRY=clear)
	Memory  Memory
}

// Step decides what the hook does at a prompt. It is the specification of
// the bash, zsh and PowerShell scripts, which do the same in their own
// language, and is what the fish hook runs.
func Step(s Snapshot, getenv func(string) string, mem Memory, mayRefresh, autoDefault bool) Action {
	a := Action{Memory: mem, Prompt: s.Prompt()}
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp {
		return a
	}
	autoSetting := getenv(AutoRefreshVar)
	if autoSetting == "" && autoDefault {
		autoSetting = "1"
	}
	managed := s.AwsenvProfile
	auto := autoSetting == "1" && managed != ""
	if mayRefresh && auto && s.Left <= windowSecs(getenv, RefreshBeforeVar, DefaultRefreshBefore) {
		key := "due " + s.ExpiresRaw
		if s.Left <= 0 {
			key = "expired " + s.ExpiresRaw
		}
		if mem.Tried != key {
			a.Refresh, a.Memory.Tried = true, key
			return a
		}
	}
	switch {
	case s.Phase == PhaseExpired && mem.Said != "expired "+s.ExpiresRaw:
		a.Memory.Said = "expired " + s.ExpiresRaw
		switch {
		case getenv(OnExpiryVar) == "clear":
			use := managed
			if use == "" {
				use = "PROFILE"
			}
			a.Clear, a.Prompt = true, ""
			a.Message = fmt.Sprintf(Messages.ExpiredCleared, s.Name, use)
		case managed != "":
			a.Message = fmt.Sprintf(Messages.ExpiredManaged, s.Name)
		default:
			a.Message = fmt.Sprintf(Messages.ExpiredForeign, s.Name)
		}
	case s.Phase == PhaseSoon && !auto && mem.Said != "soon "+s.ExpiresRaw:
		a.Memory.Said = "soon " + s.ExpiresRaw
		if managed != "" {
			a.Message = fmt.Sprintf(Messages.SoonManaged, s.Name, FormatLeft(s.Left))
		} else {
			a.Message = fmt.Sprintf(Messages.SoonForeign, s.Name, FormatLeft(s.Left))
		}
	}
	return a
}

// Never is the NextChange of credentials whose prompt and messages no
// longer depend on the clock.
const Never = maxSecs

// NextChange returns the Unix time at which, the environment staying as
// it is, the hook has something new to show or do: the figure shown goes
// down, the warning or refresh window opens, or the credentials expire.
// Until then a hook may skip its work; the bash, zsh and PowerShell hooks
// compute the same.
func NextChange(s Snapshot, getenv func(string) string) int64 {
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp || s.Left <= 0 {
		return Never
	}
	n := s.Left
	next := n%unit(n) + 1
	for _, w := range []int64{
		windowSecs(getenv, WarnBeforeVar, DefaultWarnBefore),
		windowSecs(getenv, RefreshBeforeVar, DefaultRefreshBefore),
	} {
		if n > w && n-w < next {
			next = n - w
		}
	}
	return s.Expires.Unix() - s.Left + next
}

// unit is the smallest step FormatLeft shows at n seconds left.
func unit(n int64) int64 {
	switch {
	case n < 60:
		return 1
	case n < 86400:
		return 60
	}
	return 3600
}
