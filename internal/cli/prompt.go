package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/tty"
)

// clock is the time prompt, prompt-hook and status read the session at;
// tests fix it to hold them to the same digits.
var clock = time.Now

// DefaultPromptFormat is "project1 42m", coloured by how much time is left.
const DefaultPromptFormat = "%c%p %t%r"

// PromptCmd prints the prompt segment for prompts that run a command:
// starship custom modules, tmux status lines, powerlevel10k. It reads the
// environment only.
type PromptCmd struct {
	Format string `help:"What to print: %p profile, %t time left (42m, 1h05m, expired), %s state (ok, soon, expired, static), %e expiry time (15:04, local), %c colour of the state, %r colour off, %% a percent sign. A space right before a conversion that is empty is dropped." default:"${prompt_format}"`
	Shell  string `help:"Write for that shell's prompt string: bash wraps colours in \\001 \\002 (what \\[ \\] turn into), zsh in %{ %} and doubles %." enum:"bash,zsh,fish,pwsh," default:""`
	Color  string `help:"auto: colours when the output goes to a terminal, or with --shell when stderr is one (the prompt is drawn there); NO_COLOR and TERM=dumb turn them off." enum:"auto,always,never" default:"auto"`
}

func (c *PromptCmd) Run(app *App) error {
	color := false
	switch c.Color {
	case "always":
		color = true
	case "auto":
		color = tty.ColorAllowed(os.Getenv) && (app.StdoutTTY || (c.Shell != "" && app.StderrTTY))
	}
	s := session.Read(os.Getenv, clock())
	out, err := formatPrompt(c.Format, s, c.Shell, color)
	if err != nil {
		return UsageError("--format: %v", err)
	}
	if out == "" {
		return nil
	}
	_, err = io.WriteString(app.Stdout, out+"\n")
	return err
}

var stateColors = map[session.Phase]string{
	session.PhaseFresh:   "\x1b[32m",
	session.PhaseSoon:    "\x1b[33m",
	session.PhaseExpired: "\x1b[31m",
}

// formatPrompt expands format for s; "" without credentials.
func formatPrompt(format string, s session.Snapshot, sh string, color bool) (string, error) {
	if s.Phase == session.PhaseNone {
		// Still check the format, so that a mistake shows at once.
		s = session.Snapshot{Phase: session.PhaseFresh}
		if _, err := formatPrompt(format, s, sh, false); err != nil {
			return "", err
		}
		return "", nil
	}
	text := func(t string) string {
		if sh == "zsh" {
			return strings.ReplaceAll(t, "%", "%%")
		}
		return t
	}
	esc := func(code string) string {
		if !color || code == "" {
			return ""
		}
		switch sh {
		case "bash":
			return "\x01" + code + "\x02"
		case "zsh":
			return "%{" + code + "%}"
		}
		return code
	}
	var b []byte
	space := -1 // where the last space of the format was written, while nothing but colours followed it
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			if format[i] == ' ' {
				space = len(b)
			} else {
				space = -1
			}
			b = append(b, text(format[i:i+1])...)
			continue
		}
		if i+1 == len(format) {
			return "", fmt.Errorf("%q ends in a lone %%", format)
		}
		i++
		var v string
		switch format[i] {
		case 'p':
			v = text(tty.Printable(s.Name))
		case 't':
			v = s.TimeLeft()
		case 's':
			v = string(s.Phase)
		case 'e':
			if s.Phase != session.PhaseNoExp {
				v = s.Expires.Local().Format("15:04")
			}
		case 'c':
			b = append(b, esc(stateColors[s.Phase])...)
			continue
		case 'r':
			if stateColors[s.Phase] != "" {
				b = append(b, esc("\x1b[0m")...)
			}
			continue
		case '%':
			v = text("%")
		default:
			return "", fmt.Errorf("unknown conversion %%%c in %q: use %%p, %%t, %%s, %%e, %%c, %%r or %%%%", format[i], format)
		}
		if v == "" && space >= 0 {
			b = append(b[:space], b[space+1:]...)
		}
		space = -1
		b = append(b, v...)
	}
	return string(b), nil
}

// promptHookUsage is the command line of `awsenv prompt-hook`, which the
// fish hook runs before each prompt while credentials with an expiry are
// set. It is parsed by hand, before the command line grammar is built, so
// that it answers as fast as an empty Go program.
const promptHookUsage = "usage: awsenv prompt-hook fish TURN(1: a prompt, 0: refreshed, f: refresh failed) AUTO_REFRESH(0|1) SAID TRIED [FAILURES RETRY_AT SESSION CAPPED] (run by the fish hook)"

// promptHook prints fish statements that carry out session.Step and
// writes its message, if any, to stderr.
func promptHook(args []string, stdout, stderr io.Writer) int {
	if (len(args) != 5 && len(args) != 9) || args[0] != "fish" {
		fmt.Fprintln(stderr, "awsenv: "+promptHookUsage)
		return 2
	}
	s := session.Read(os.Getenv, clock())
	// The numbers are the hook's own variables, "" before the first
	// prompt, and absent from a hook older than the binary (an upgrade
	// while the shell runs): anything missing or unreadable is 0.
	num := func(i int) int64 {
		if i >= len(args) {
			return 0
		}
		n, _ := strconv.ParseInt(args[i], 10, 64)
		return n
	}
	mem := session.Memory{Said: args[3], Tried: args[4], Failures: int(num(5)), RetryAt: num(6), Session: num(7), Capped: num(8)}
	turn := session.TurnPrompt
	switch args[1] {
	case "0":
		turn = session.TurnRefreshed
	case "f":
		turn = session.TurnFailed
	}
	a := session.Step(s, os.Getenv, mem, turn, args[2] == "1")
	changes := []shell.Change{}
	fish, _ := shell.Lookup("fish")
	if a.Clear {
		changes = append(changes, creds.ClearChanges(false)...)
	}
	changes = append(changes, shell.Set(session.PromptVar, a.Prompt))
	out, err := shell.Render(fish, changes)
	if err != nil {
		fmt.Fprintf(stderr, "awsenv: prompt hook: %v\n", err)
		return 1
	}
	var b strings.Builder
	b.WriteString(out)
	// fish has no clock, but Linux has /proc/uptime, which the builtin
	// read can open: with the offset from it to the Unix time, the hook
	// knows the time at the next prompts and skips this process until
	// NextChange.
	offset := ""
	if b, err := os.ReadFile("/proc/uptime"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			if up, err := strconv.ParseFloat(f[0], 64); err == nil {
				offset = strconv.FormatFloat(float64(time.Now().UnixNano())/1e9-up, 'f', 3, 64)
			}
		}
	}
	for _, v := range [][2]string{
		{"__awsenv_announced", a.Memory.Said},
		{"__awsenv_refresh_tried", a.Memory.Tried},
		{"__awsenv_next_change", strconv.FormatInt(session.NextChange(s, os.Getenv, a.Memory), 10)},
		{"__awsenv_clock_offset", offset},
		{"__awsenv_failures", strconv.Itoa(a.Memory.Failures)},
		{"__awsenv_retry_at", strconv.FormatInt(a.Memory.RetryAt, 10)},
		{"__awsenv_session", strconv.FormatInt(a.Memory.Session, 10)},
		{"__awsenv_capped", strconv.FormatInt(a.Memory.Capped, 10)},
	} {
		b.WriteString("set -g " + v[0] + " " + shell.QuoteFish(v[1]) + ";\n")
	}
	if a.Refresh {
		b.WriteString("__awsenv_refresh;\n")
	}
	if a.Message != "" {
		fmt.Fprintln(stderr, a.Message)
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return 1
	}
	return 0
}
