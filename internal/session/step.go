package session

import (
	"fmt"
	"strings"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/shell"
)

// Messages are what the hook says on stderr, written once here: Step
// formats them, and the bash, zsh and PowerShell scripts are generated
// with them (see HookRules).
var Messages = shell.HookMessages{
	ExpiredCleared: "awsenv: the credentials of profile %s expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use %s` for new ones",
	ExpiredManaged: "awsenv: the credentials of profile %s have expired: run `awsenv refresh` to renew them",
	ExpiredForeign: "awsenv: the credentials %s set in this shell have expired: renew them with it, or run `awsenv use PROFILE`",
	SoonManaged:    "awsenv: the credentials of profile %s expire in %s: run `awsenv refresh` to renew them",
	SoonForeign:    "awsenv: the credentials %s set in this shell expire in %s: renew them with it, or run `awsenv use PROFILE`",
	Capped:         "awsenv: AWSENV_REFRESH_BEFORE (%s) is not shorter than the sessions of profile %s (%s): refreshing them when %s is left instead",
	RetryBefore:    "awsenv: auto-refresh of profile %s failed: trying again in %s, and when the credentials expire",
	RetryAfter:     "awsenv: auto-refresh of profile %s failed: trying again in %s",
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
		Tools:          Tools,
		OtherTool:      OtherTool,
		Watch:          watch,
		Clear:          clear,
		WarnBefore:     DefaultWarnBefore,
		RefreshBefore:  DefaultRefreshBefore,
		RefreshTimeout: DefaultRefreshTimeout,
		Backoff:        DefaultBackoff,
		MaxBackoff:     MaxBackoff,
		Messages:       Messages,
	}
}

// Memory is what a hook remembers between prompts, so that it says each
// thing once and never refreshes at every prompt.
type Memory struct {
	Said  string // "soon RAW" or "expired RAW": the last announcement
	Tried string // "due RAW" or "expired RAW": the last refresh attempt
	// Failures counts the attempts in a row that did not move the expiry,
	// RetryAt is the Unix time from which the next may be made (0: only
	// at expiry). Both are set when an attempt starts, as if it would
	// fail, so that one given up with Ctrl-C counts as failed.
	Failures int
	RetryAt  int64
	// Session is the length in seconds of the session the last successful
	// refresh fetched: the time left just after it (0: none yet). The hook
	// is not told when credentials were issued; this is what caps the
	// window (RefreshWindow).
	Session int64
	// Capped is the AWSENV_REFRESH_BEFORE, in seconds, whose cap was said.
	Capped int64
}

// Turn says why the hook takes a step.
type Turn int

const (
	// TurnPrompt is a prompt: the step may ask for a refresh.
	TurnPrompt Turn = iota
	// TurnRefreshed follows a refresh that succeeded, its statements
	// evaluated.
	TurnRefreshed
	// TurnFailed follows a refresh that failed.
	TurnFailed
)

// Action is what the hook does at one prompt.
type Action struct {
	// Refresh: run `awsenv refresh --no-prompt`, evaluate its output on
	// success, then take the step again with TurnRefreshed, or with
	// TurnFailed when it failed.
	Refresh bool
	Prompt  string // the new AWSENV_PROMPT
	Message string // lines for stderr, or ""
	Clear   bool   // unset the credentials (AWSENV_ON_EXPIRY=clear)
	Memory  Memory
}

// Step decides what the hook does at a prompt. It is the specification of
// the bash, zsh and PowerShell scripts, which do the same in their own
// language, and is what the fish hook runs.
//
// The rules of auto-refresh: an attempt when the time left is within the
// window (RefreshWindow), once per expiry value; after a failure again
// after Backoff, and always once more at expiry. A success records the
// session length, which caps the window, and credentials it brought that
// are still within the window are not tried again before they expire.
func Step(s Snapshot, getenv func(string) string, mem Memory, turn Turn, autoDefault bool) Action {
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
	now := s.Expires.Unix() - s.Left
	before := windowSecs(getenv, RefreshBeforeVar, DefaultRefreshBefore)
	key := "due " + s.ExpiresRaw
	if s.Left <= 0 {
		key = "expired " + s.ExpiresRaw
	}
	var said []string
	switch {
	case !auto:
	case turn == TurnPrompt:
		if s.Left <= RefreshWindow(before, mem.Session) && (mem.Tried != key || (mem.RetryAt > 0 && now >= mem.RetryAt)) {
			a.Refresh = true
			a.Memory.Tried, a.Memory.Failures = key, mem.Failures+1
			a.Memory.RetryAt = now + Backoff(getenv, a.Memory.Failures)
			return a
		}
	case turn == TurnFailed:
		wait := FormatLeft(mem.RetryAt - now)
		if s.Left > 0 {
			said = append(said, fmt.Sprintf(Messages.RetryBefore, s.Name, wait))
		} else {
			said = append(said, fmt.Sprintf(Messages.RetryAfter, s.Name, wait))
		}
	default:
		a.Memory.Failures, a.Memory.RetryAt, a.Memory.Session = 0, 0, s.Left
		if before >= s.Left && mem.Capped != before {
			a.Memory.Capped = before
			said = append(said, fmt.Sprintf(Messages.Capped, FormatLeft(before), s.Name, FormatLeft(s.Left), FormatLeft(RefreshWindow(before, s.Left))))
		}
		if s.Left <= RefreshWindow(before, s.Left) {
			a.Memory.Tried = key // one attempt per window: the next at expiry
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
			said = append(said, fmt.Sprintf(Messages.ExpiredCleared, s.Name, use))
		case managed != "":
			said = append(said, fmt.Sprintf(Messages.ExpiredManaged, s.Name))
		default:
			said = append(said, fmt.Sprintf(Messages.ExpiredForeign, s.SetBy()))
		}
	case s.Phase == PhaseSoon && !auto && mem.Said != "soon "+s.ExpiresRaw:
		a.Memory.Said = "soon " + s.ExpiresRaw
		if managed != "" {
			said = append(said, fmt.Sprintf(Messages.SoonManaged, s.Name, FormatLeft(s.Left)))
		} else {
			said = append(said, fmt.Sprintf(Messages.SoonForeign, s.SetBy(), FormatLeft(s.Left)))
		}
	}
	a.Message = strings.Join(said, "\n")
	return a
}

// Never is the NextChange of credentials whose prompt and messages no
// longer depend on the clock.
const Never = maxSecs

// NextChange returns the Unix time at which, the environment staying as
// it is, the hook has something new to show or do: the figure shown goes
// down, the warning or refresh window opens, or the credentials expire.
// A retry after a failed refresh (mem.RetryAt) is a change too. Until then
// a hook may skip its work; the bash, zsh and PowerShell hooks compute the
// same.
func NextChange(s Snapshot, getenv func(string) string, mem Memory) int64 {
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp {
		return Never
	}
	now := s.Expires.Unix() - s.Left
	retry := Never
	if mem.RetryAt > now {
		retry = mem.RetryAt
	}
	if s.Left <= 0 {
		return retry
	}
	n := s.Left
	next := n%unit(n) + 1
	for _, w := range []int64{
		windowSecs(getenv, WarnBeforeVar, DefaultWarnBefore),
		RefreshWindow(windowSecs(getenv, RefreshBeforeVar, DefaultRefreshBefore), mem.Session),
	} {
		if n > w && n-w < next {
			next = n - w
		}
	}
	return min(now+next, retry)
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
