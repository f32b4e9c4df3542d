package session

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
)

func TestRefreshWindow(t *testing.T) {
	for _, tc := range []struct{ window, session, want int64 }{
		{300, 0, 300},       // no session seen yet
		{300, 3600, 300},    // shorter than the session
		{3599, 3600, 3599},  // still shorter
		{3600, 3600, 1800},  // as long: half the session
		{7200, 3600, 1800},  // AWSENV_REFRESH_BEFORE=2h, one-hour sessions
		{7200, 900, 450},    // 15-minute sessions
		{43200, 3599, 1799}, // the time left just after a refresh
	} {
		if got := RefreshWindow(tc.window, tc.session); got != tc.want {
			t.Errorf("RefreshWindow(%d, %d) = %d, want %d", tc.window, tc.session, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == BackoffVar {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		setting string
		n       int
		want    int64
	}{
		{"", 1, 60}, {"", 2, 120}, {"", 3, 240}, {"", 4, 480}, {"", 5, 900}, {"", 6, 900}, {"", 1000, 900},
		{"2s", 1, 2}, {"2s", 2, 4}, {"2s", 3, 8}, {"2s", 20, 900},
		{"0", 1, 1}, {"0", 3, 4}, // never zero: a retry at every prompt is what this prevents
		{"1h", 1, 900},
		{"soon", 1, 60},
	} {
		if got := Backoff(env(tc.setting), tc.n); got != tc.want {
			t.Errorf("Backoff(%s=%q, %d) = %d, want %d", BackoffVar, tc.setting, tc.n, got, tc.want)
		}
	}
}

// hookSim is a prompt hook driven by Step, as the shells drive it: the
// clock moves, each prompt takes a step, and a refresh that Step asks for
// either sets credentials that last session seconds or fails.
type hookSim struct {
	t       *testing.T
	env     map[string]string
	now     int64
	mem     Memory
	auto    bool
	session int64 // what a refresh fetches; 0: refreshes fail
	calls   int   // refresh attempts
	said    []string
}

func newHookSim(t *testing.T, now, left int64, kv ...string) *hookSim {
	h := &hookSim{t: t, now: now, auto: true, session: 3600, env: map[string]string{
		"AWS_ACCESS_KEY_ID": "ASIA", "AWSENV_PROFILE": "p1",
	}}
	for i := 0; i < len(kv); i += 2 {
		h.env[kv[i]] = kv[i+1]
	}
	h.expireIn(left)
	return h
}

func (h *hookSim) expireIn(left int64) {
	h.env[creds.CredentialExpiration] = time.Unix(h.now+left, 0).UTC().Format(time.RFC3339)
}

func (h *hookSim) getenv(k string) string { return h.env[k] }

// prompt takes one step, and the one after a refresh, as the hooks do, and
// returns the hook's next change.
func (h *hookSim) prompt() int64 {
	turn := TurnPrompt
	for {
		s := Read(h.getenv, time.Unix(h.now, 0))
		a := Step(s, h.getenv, h.mem, turn, h.auto)
		h.mem = a.Memory
		if a.Message != "" {
			h.said = append(h.said, strings.Split(a.Message, "\n")...)
		}
		if !a.Refresh {
			return NextChange(s, h.getenv, h.mem)
		}
		if turn != TurnPrompt {
			h.t.Fatal("Step asked for a refresh right after one")
		}
		h.calls++
		turn = TurnFailed
		if h.session > 0 {
			h.expireIn(h.session)
			turn = TurnRefreshed
		}
	}
}

func (h *hookSim) saidLike(prefix string) int {
	n := 0
	for _, m := range h.said {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

// The storm of the issue: AWSENV_REFRESH_BEFORE=2h with one-hour
// credentials made one AssumeRole per Enter.
func TestStepWindowLongerThanSession(t *testing.T) {
	const now = 1_800_000_000
	h := newHookSim(t, now, 3600, RefreshBeforeVar, "2h")
	for i := 0; i < 5; i++ {
		h.prompt()
		h.now++
	}
	if h.calls != 1 {
		t.Fatalf("5 prompts made %d refreshes, want 1; said %q", h.calls, h.said)
	}
	want := fmt.Sprintf(Messages.Capped, "2h00m", "p1", "1h00m", "30m")
	if len(h.said) != 1 || h.said[0] != want {
		t.Errorf("said %q, want once %q", h.said, want)
	}
	// A day of prompts, one a second: a refresh each half hour, and the
	// cap said once.
	for end := h.now + 86400; h.now < end; h.now++ {
		h.prompt()
	}
	if h.calls < 47 || h.calls > 50 {
		t.Errorf("a day of prompts made %d refreshes, want about 48", h.calls)
	}
	if n := h.saidLike("awsenv: AWSENV_REFRESH_BEFORE"); n != 1 {
		t.Errorf("the cap was said %d times, want once", n)
	}
	// A new setting is said again.
	h.env[RefreshBeforeVar] = "3h"
	h.expireIn(60)
	h.prompt()
	if n := h.saidLike("awsenv: AWSENV_REFRESH_BEFORE (3h00m)"); n != 1 {
		t.Errorf("the cap of a new AWSENV_REFRESH_BEFORE was said %d times, want once: %q", n, h.said)
	}
}

// A window shorter than the session is kept, and nothing is said.
func TestStepWindowShorterThanSession(t *testing.T) {
	const now = 1_800_000_000
	h := newHookSim(t, now, 200) // inside the default 5m
	for end := h.now + 3*3600; h.now < end; h.now++ {
		h.prompt()
	}
	if h.calls != 4 || len(h.said) != 0 {
		t.Errorf("3h of prompts made %d refreshes (want 4: at 55m into each session) and said %q", h.calls, h.said)
	}
}

// A failing refresh is tried again after the backoff, doubling, says each
// failure once with the wait, and is tried once more at expiry.
func TestStepBackoff(t *testing.T) {
	const now = 1_800_000_000
	h := newHookSim(t, now, 290) // 4m50s: inside the 5m window
	h.session = 0
	if h.prompt(); h.calls != 1 || h.mem.RetryAt != now+60 {
		t.Fatalf("first prompt: %d refreshes, retry at now%+d; want 1 and now+60", h.calls, h.mem.RetryAt-now)
	}
	wantSaid := []string{fmt.Sprintf(Messages.RetryBefore, "p1", "1m")}
	// The fast path skips every prompt before the next change; the
	// prompts in between do nothing either.
	for next := int64(0); h.now < now+60; h.now = next {
		if next = h.prompt(); h.calls != 1 {
			t.Fatalf("a refresh at now%+d, before the backoff", h.now-now)
		}
		if next <= h.now || next > now+60 {
			t.Fatalf("at now%+d the next change is now%+d, not before the retry at now+60", h.now-now, next-now)
		}
	}
	h.prompt() // now+60: the second attempt
	wantSaid = append(wantSaid, fmt.Sprintf(Messages.RetryBefore, "p1", "2m"))
	if h.calls != 2 {
		t.Fatalf("at now+60: %d refreshes, want 2", h.calls)
	}
	// now+180 would be the third; the credentials expire at now+290, the
	// fourth (4m) would be after that: the attempt at expiry comes first.
	for ; h.now < now+290; h.now++ {
		h.prompt()
	}
	if h.calls != 3 {
		t.Errorf("before expiry: %d refreshes, want 3 (now, +1m, +3m)", h.calls)
	}
	wantSaid = append(wantSaid, fmt.Sprintf(Messages.RetryBefore, "p1", "4m"))
	h.prompt() // expired: once more at once, whatever the backoff
	if h.calls != 4 {
		t.Errorf("at expiry: %d refreshes, want 4", h.calls)
	}
	wantSaid = append(wantSaid, fmt.Sprintf(Messages.RetryAfter, "p1", "8m"), fmt.Sprintf(Messages.ExpiredManaged, "p1"))
	// Then on with the backoff, at most 15 minutes apart.
	for end := h.now + 3600; h.now < end; h.now++ {
		h.prompt()
	}
	if strings.Join(h.said[:len(wantSaid)], "\n") != strings.Join(wantSaid, "\n") {
		t.Errorf("said:\n%s\nwant first:\n%s", strings.Join(h.said, "\n"), strings.Join(wantSaid, "\n"))
	}
	// A success ends the backoff.
	h.session = 3600
	h.now = h.mem.RetryAt
	h.prompt()
	if h.mem.Failures != 0 || h.mem.RetryAt != 0 || h.mem.Session != 3600 {
		t.Errorf("after a success the memory is %+v", h.mem)
	}
}

// The backoff wait after each failure: 1m, 2m, 4m, 8m, then 15m.
func TestStepBackoffSchedule(t *testing.T) {
	const now = 1_800_000_000
	h := newHookSim(t, now, -10) // expired, auto-refresh failing
	h.session = 0
	var at []int64
	for end := h.now + 2*3600; h.now < end; h.now++ {
		before := h.calls
		h.prompt()
		if h.calls != before {
			at = append(at, h.now-now)
		}
	}
	want := []int64{0, 60, 180, 420, 900, 1800, 2700, 3600, 4500, 5400, 6300, 7200 - 0}
	want = want[:len(at)]
	if fmt.Sprint(at) != fmt.Sprint(want) {
		t.Errorf("attempts at %v, want %v", at, want)
	}
}

// Given up with Ctrl-C: the shell never takes the step after the
// refresh; the attempt counts as failed and waits for the backoff.
func TestStepInterrupted(t *testing.T) {
	const now = 1_800_000_000
	getenv := func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWSENV_PROFILE": "p1",
			creds.CredentialExpiration: time.Unix(now+100, 0).UTC().Format(time.RFC3339)}[k]
	}
	a := Step(Read(getenv, time.Unix(now, 0)), getenv, Memory{}, TurnPrompt, true)
	if !a.Refresh {
		t.Fatal("no refresh within the window")
	}
	for _, at := range []int64{now + 1, now + 59} {
		if b := Step(Read(getenv, time.Unix(at, 0)), getenv, a.Memory, TurnPrompt, true); b.Refresh {
			t.Errorf("a refresh at now%+d after one was given up", at-now)
		}
	}
	if b := Step(Read(getenv, time.Unix(now+60, 0)), getenv, a.Memory, TurnPrompt, true); !b.Refresh {
		t.Error("no refresh after the backoff")
	}
}

// Credentials set by another tool are named by it.
func TestStepForeignTool(t *testing.T) {
	const now = 1_800_000_000
	for _, tc := range []struct{ v, tool string }{
		{"AWS_VAULT", "aws-vault"}, {"GRANTED_AWS_ROLE", "granted"}, {"GRANTED_SSO", "granted"},
		{"AWSUME_PROFILE", "awsume"}, {"", "a script or another tool"},
	} {
		for _, left := range []int64{-5, 100} {
			env := map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", creds.CredentialExpiration: time.Unix(now+left, 0).UTC().Format(time.RFC3339)}
			if tc.v != "" {
				env[tc.v] = "prod"
			}
			getenv := func(k string) string { return env[k] }
			a := Step(Read(getenv, time.Unix(now, 0)), getenv, Memory{}, TurnPrompt, true)
			want := fmt.Sprintf(Messages.ExpiredForeign, tc.tool)
			if left > 0 {
				want = fmt.Sprintf(Messages.SoonForeign, tc.tool, "1m")
			}
			if a.Message != want || a.Refresh {
				t.Errorf("%s set, %ds left: %+v, want the message %q", tc.v, left, a, want)
			}
			if strings.Contains(a.Message, "profile aws") {
				t.Errorf("%s: %q names \"profile aws\"", tc.v, a.Message)
			}
		}
	}
}

// Tools is the one list of the neighbours' marks; clear --all removes
// each of them.
func TestToolsAreForeignVars(t *testing.T) {
	for _, tool := range Tools {
		found := false
		for _, v := range creds.ForeignVars {
			found = found || v == tool.Var
		}
		if !found {
			t.Errorf("%s (%s) is not in creds.ForeignVars", tool.Var, tool.Name)
		}
	}
}

func TestNextChangeRetry(t *testing.T) {
	const now = 1_800_000_000
	env := func(string) string { return "" }
	s := Snapshot{Phase: PhaseFresh, Expires: time.Unix(now+3030, 0), Left: 3030}
	if got := NextChange(s, env, Memory{RetryAt: now + 7}); got != now+7 {
		t.Errorf("NextChange with a retry in 7s = now%+d", got-now)
	}
	if got := NextChange(s, env, Memory{RetryAt: now - 7}); got != now+31 {
		t.Errorf("NextChange with a retry due = now%+d, want the next figure (now+31)", got-now)
	}
	x := Snapshot{Phase: PhaseExpired, Expires: time.Unix(now-5, 0), Left: -5}
	if got := NextChange(x, env, Memory{RetryAt: now + 300}); got != now+300 {
		t.Errorf("NextChange expired with a retry in 5m = now%+d", got-now)
	}
	// The refresh window capped by the session opens at 30m.
	s = Snapshot{Phase: PhaseFresh, Expires: time.Unix(now+1810, 0), Left: 1810}
	two := func(k string) string {
		if k == RefreshBeforeVar {
			return "2h"
		}
		return ""
	}
	if got := NextChange(s, two, Memory{Session: 3600}); got != now+10 {
		t.Errorf("NextChange 30m10s left, window capped to 30m = now%+d, want now+10", got-now)
	}
}
