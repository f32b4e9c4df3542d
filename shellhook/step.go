package shellhook

import (
	"fmt"
	"time"
)

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
func Step(s State, getenv func(string) string, mem Memory, mayRefresh, autoDefault bool) Action {
	a := Action{Memory: mem, Prompt: s.Prompt()}
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp {
		return a
	}
	autoSetting := getenv("AWSENV_AUTO_REFRESH")
	if autoSetting == "" && autoDefault {
		autoSetting = "1"
	}
	auto := autoSetting == "1" && s.Managed != ""
	refreshBefore := int64(ParseWindow(getenv("AWSENV_REFRESH_BEFORE"), DefaultRefreshBefore) / time.Second)
	if mayRefresh && auto && s.Left <= refreshBefore {
		key := "due " + s.Raw
		if s.Left <= 0 {
			key = "expired " + s.Raw
		}
		if mem.Tried != key {
			a.Refresh, a.Memory.Tried = true, key
			return a
		}
	}
	switch {
	case s.Phase == PhaseExpired && mem.Said != "expired "+s.Raw:
		a.Memory.Said = "expired " + s.Raw
		switch {
		case getenv("AWSENV_ON_EXPIRY") == "clear":
			use := s.Managed
			if use == "" {
				use = "PROFILE"
			}
			a.Clear, a.Prompt = true, ""
			a.Message = fmt.Sprintf("awsenv: the credentials of profile %s expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use %s` for new ones", s.Profile, use)
		case s.Managed != "":
			a.Message = fmt.Sprintf("awsenv: the credentials of profile %s have expired: run `awsenv refresh` to renew them", s.Profile)
		default:
			a.Message = fmt.Sprintf("awsenv: the credentials of profile %s have expired: renew them with the tool that set them, or run `awsenv use PROFILE`", s.Profile)
		}
	case s.Phase == PhaseSoon && !auto && mem.Said != "soon "+s.Raw:
		a.Memory.Said = "soon " + s.Raw
		if s.Managed != "" {
			a.Message = fmt.Sprintf("awsenv: the credentials of profile %s expire in %s: run `awsenv refresh` to renew them", s.Profile, FormatLeft(s.Left))
		} else {
			a.Message = fmt.Sprintf("awsenv: the credentials of profile %s expire in %s: renew them with the tool that set them, or run `awsenv use PROFILE`", s.Profile, FormatLeft(s.Left))
		}
	}
	return a
}

// Never is the NextChange of credentials whose prompt and messages no
// longer depend on the clock.
const Never = int64(^uint64(0) >> 1)

// NextChange returns the Unix time at which, the environment staying as
// it is, the hook has something new to show or do: the minute shown goes
// down, the warning or refresh window opens, or the credentials expire.
// Until then a hook may skip its work; the bash, zsh and PowerShell hooks
// compute the same.
func NextChange(s State, getenv func(string) string) int64 {
	if s.Phase == PhaseNone || s.Phase == PhaseNoExp || s.Left <= 0 {
		return Never
	}
	n := s.Left
	next := n%60 + 1
	if n < 60 {
		next = 1
	}
	for _, w := range []int64{
		int64(ParseWindow(getenv("AWSENV_WARN_BEFORE"), DefaultWarnBefore) / time.Second),
		int64(ParseWindow(getenv("AWSENV_REFRESH_BEFORE"), DefaultRefreshBefore) / time.Second),
	} {
		if n > w && n-w < next {
			next = n - w
		}
	}
	return s.Expires - s.Left + next
}
