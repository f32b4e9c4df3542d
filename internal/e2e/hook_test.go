package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/testenv"
)

// hookConfig adds a role that needs an MFA code: the prompt hook's refresh
// must fail on it at once instead of waiting for input.
const hookConfig = baseConfig + `
[profile needsmfa]
role_arn = ` + roleArn + `
source_profile = user1
mfa_serial = arn:aws:iam::123456789012:mfa/user1
`

// hookShell is what differs between the shells in these tests.
type hookShell struct {
	name    string
	rc      string // before the hook is installed (twice)
	after   string // after it
	install string
	set     string // format of a statement that exports %s=%s
	unset   string // format of a statement that removes %s
	status  string // the last command's status
	hooks   string // prints the installed prompt hooks, one line
	want    string // what hooks must print: the hook once, and first
}

var hookShells = []hookShell{
	{
		name: "bash", rc: `PROMPT_COMMAND='_seen=$?'`, install: `eval "$(awsenv hook bash)"`,
		set: `export %s='%s'`, unset: `unset %s`, status: `$?`,
		hooks: `echo "${PROMPT_COMMAND[*]}"`, want: `_awsenv_hook;_seen=$?`,
	},
	{
		// bash 5.1 reads PROMPT_COMMAND as an array too.
		name: "bash", rc: `PROMPT_COMMAND=('_seen=$?' ':')`, install: `eval "$(awsenv hook bash)"`,
		set: `export %s='%s'`, unset: `unset %s`, status: `$?`,
		hooks: `echo "${PROMPT_COMMAND[*]}"`, want: `_awsenv_hook _seen=$? :`,
	},
	{
		name: "zsh", rc: `_mine() { _seen=$? }; precmd_functions=(_mine)`, install: `eval "$(awsenv hook zsh)"`,
		set: `export %s='%s'`, unset: `unset %s`, status: `$?`,
		hooks: `echo $precmd_functions`, want: `_awsenv_hook _mine`,
	},
	{
		// The flag, not the variable, turns auto-refresh on here; the
		// variable says 0 until the test removes it.
		// fish gives every fish_prompt handler the status of the command,
		// in whatever order they run; the hook must be there once.
		name: "fish", rc: "set -gx AWSENV_AUTO_REFRESH 0",
		after:   "function _mine --on-event fish_prompt; set -g _seen $status; end",
		install: `awsenv hook fish --auto-refresh | source`,
		set:     `set -gx %s '%s'`, unset: `set -e %s`, status: `$status`,
		hooks: `functions --handlers-type generic | string match -er 'awsenv|_mine' | string replace 'fish_prompt ' '' | sort | string join ' '`,
		want:  `__awsenv_on_prompt _mine`,
	},
}

func TestHook(t *testing.T) {
	for i, sh := range hookShells {
		full := i != 1 // the PROMPT_COMMAND array case checks installation only
		t.Run(fmt.Sprintf("%s-%d", sh.name, i), func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			// A moto each: the test counts the AssumeRole calls of its shell.
			moto := testenv.StartMoto(t)
			f := newFixture(t, hookConfig, baseCredentials, moto.URL())
			rc := sh.rc + "\n" + sh.install + "\n" + sh.install + "\n" + sh.after
			// No history files: a shell writing one as tmux stops it
			// races the removal of HOME.
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), rc)
			testHook(t, f, tm, sh, moto, full)
		})
	}
}

func testHook(t *testing.T, f *fixture, tm *testenv.Tmux, sh hookShell, moto *testenv.Moto, full bool) {
	run := func(cmd string) string { t.Helper(); return tm.Run(cmd) }
	set := func(name, value string) { t.Helper(); run(fmt.Sprintf(sh.set, name, value)) }
	get := func(name string) string { t.Helper(); return run("echo \"[$" + name + "]\"") }
	// count counts the messages on the screen that match re. zsh pads
	// lines with spaces, and input typed ahead may be echoed on the line
	// where a message then starts.
	count := func(re *regexp.Regexp) int {
		var screen []string
		for _, line := range strings.Split(tm.Capture(), "\n") {
			screen = append(screen, strings.TrimRight(line, " "))
		}
		return len(re.FindAllString(strings.Join(screen, "\n"), -1))
	}
	said := func(msg string) int { return count(regexp.MustCompile(regexp.QuoteMeta(msg) + "\n")) }
	at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }

	// Sourced twice, installed once, and first.
	if got := run(sh.hooks); got != sh.want {
		t.Errorf("prompt hooks = %q, want %q", got, sh.want)
	}
	// The hook that runs after ours still sees the status of the command.
	tm.Send("false")
	if got := get("_seen"); got != "[1]" {
		t.Errorf("after false, the next prompt hook saw status %s, want [1]", got)
	}
	if got := get("AWSENV_PROMPT"); got != "[]" {
		t.Errorf("AWSENV_PROMPT without credentials = %s, want []", got)
	}

	// The wrapper evaluates use: no eval, no pipe; and says in one line
	// whom the shell acts as now, and until when.
	said1 := regexp.MustCompile(`^awsenv: project1 → 123456789012 Prod-Role \(eu-west-1\), expires \d\d:\d\d \((59m|1h00m)\)\nrc=0$`)
	if got := run("awsenv use project1; echo rc=" + sh.status); !said1.MatchString(got) {
		t.Fatalf("awsenv use project1: %q", got)
	}
	if got := run("awsenv use --quiet project1; echo rc=" + sh.status); got != "rc=0" {
		t.Fatalf("awsenv use --quiet project1: %q", got)
	}
	// The README's form without the hook works with it too: inside $(...)
	// or a pipe the function hands the statements to the caller.
	evalUse := `eval "$(awsenv use static --quiet)"`
	if sh.name == "fish" {
		evalUse = "awsenv use static --quiet | source"
	}
	run(evalUse)
	if got := get("AWS_ACCESS_KEY_ID"); got != "[AKIASTATICEXAMPLE000]" {
		t.Errorf("after %s with the hook, AWS_ACCESS_KEY_ID = %s", evalUse, got)
	}
	run("awsenv use --quiet project1")
	key := get("AWS_ACCESS_KEY_ID")
	if !strings.HasPrefix(key, "[ASIA") {
		t.Fatalf("after awsenv use, AWS_ACCESS_KEY_ID = %s", key)
	}
	if got := get("AWSENV_PROMPT"); !regexp.MustCompile(`^\[project1 (59m|1h00m)\]$`).MatchString(got) {
		t.Errorf("AWSENV_PROMPT after use = %s, want [project1 59m]", got)
	}
	if !full {
		return
	}

	// A failed use says why and leaves the credentials as they were.
	out := run("awsenv use nosuch; echo rc=" + sh.status)
	if !strings.HasSuffix(out, "rc=1") || !strings.Contains(out, `"nosuch"`) {
		t.Errorf("awsenv use nosuch: %q, want an error naming it and status 1", out)
	}
	if got := get("AWS_ACCESS_KEY_ID"); got != key {
		t.Errorf("failed use changed AWS_ACCESS_KEY_ID from %s to %s", key, got)
	}
	// --help goes to the binary, on the terminal, and changes nothing.
	if out := run("awsenv use --help"); !strings.Contains(out, "Usage: awsenv use") {
		t.Errorf("awsenv use --help through the wrapper: %q", out)
	}
	if got := get("AWS_ACCESS_KEY_ID"); got != key {
		t.Errorf("use --help changed AWS_ACCESS_KEY_ID from %s to %s", key, got)
	}

	// Whoever set AWS_CREDENTIAL_EXPIRATION, the hook follows it: a warning
	// on entering the window, once.
	set("AWS_CREDENTIAL_EXPIRATION", at(8*time.Minute+30*time.Second))
	if got := get("AWSENV_PROMPT"); got != "[project1 8m]" {
		t.Errorf("AWSENV_PROMPT 8m30s before expiry = %s", got)
	}
	warning := "awsenv: the credentials of profile project1 expire in 8m: run `awsenv refresh` to renew them"
	run("true")
	if n := said(warning); n != 1 {
		t.Errorf("warning shown %d times, want once:\n%s", n, tm.Capture())
	}

	// Expired: one notice.
	set("AWS_CREDENTIAL_EXPIRATION", at(-time.Minute))
	if got := get("AWSENV_PROMPT"); got != "[project1 expired]" {
		t.Errorf("AWSENV_PROMPT after expiry = %s", got)
	}
	expired := "awsenv: the credentials of profile project1 have expired: run `awsenv refresh` to renew them"
	run("true")
	if n := said(expired); n != 1 {
		t.Errorf("expiry notice shown %d times, want once:\n%s", n, tm.Capture())
	}

	// Auto-refresh moves the expiry forward, with one line saying so. The
	// session must really be ending, in the cache too: a refresh inside the
	// cache margin takes a newer cached session when there is one.
	f.expireEntries(2 * time.Minute)
	calls := moto.Calls(t, "AssumeRole")
	enable := fmt.Sprintf(sh.set, "AWSENV_AUTO_REFRESH", "1")
	if sh.name == "fish" {
		enable = fmt.Sprintf(sh.unset, "AWSENV_AUTO_REFRESH")
	}
	run(fmt.Sprintf(sh.set, "AWS_CREDENTIAL_EXPIRATION", at(2*time.Minute)) + "; " + enable)
	exp := strings.Trim(get("AWS_CREDENTIAL_EXPIRATION"), "[]")
	if e, err := time.Parse(time.RFC3339, exp); err != nil || time.Until(e) < 50*time.Minute {
		t.Errorf("after auto-refresh AWS_CREDENTIAL_EXPIRATION = %q, want about an hour ahead:\n%s", exp, tm.Capture())
	}
	if n := moto.Calls(t, "AssumeRole") - calls; n != 1 {
		t.Errorf("auto-refresh made %d AssumeRole calls, want 1", n)
	}
	if n := count(regexp.MustCompile(`awsenv: refreshed project1 → 123456789012 Prod-Role \(eu-west-1\), expires \d\d:\d\d \((59m|1h00m)\)\n`)); n != 1 {
		t.Errorf("refresh announced %d times, want once:\n%s", n, tm.Capture())
	}
	if got := get("AWSENV_PROMPT"); got != "[project1 59m]" && got != "[project1 1h00m]" {
		t.Errorf("AWSENV_PROMPT after auto-refresh = %s", got)
	}
	key = get("AWS_ACCESS_KEY_ID")

	// A refresh that cannot work (MFA, and no terminal to ask on) fails at
	// once, says so once and keeps what is there.
	set("AWSENV_PROFILE", "needsmfa")
	start := time.Now()
	set("AWS_CREDENTIAL_EXPIRATION", at(3*time.Minute))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the prompt after a failing refresh took %v", d)
	}
	run("true")
	if n := count(regexp.MustCompile(`awsenv: profile "needsmfa" needs a code from MFA device [^\n]* \(--no-prompt\)[^\n]*; the credentials in this shell are unchanged\n`)); n != 1 {
		t.Errorf("failed refresh reported %d times, want once:\n%s", n, tm.Capture())
	}
	if got := get("AWS_ACCESS_KEY_ID"); got != key {
		t.Errorf("failed refresh changed AWS_ACCESS_KEY_ID from %s to %s", key, got)
	}

	// AWSENV_ON_EXPIRY=clear removes expired credentials.
	set("AWSENV_PROFILE", "project1")
	set("AWSENV_AUTO_REFRESH", "0")
	set("AWSENV_ON_EXPIRY", "clear")
	set("AWS_CREDENTIAL_EXPIRATION", at(-time.Second))
	if got := get("AWS_ACCESS_KEY_ID"); got != "[]" {
		t.Errorf("AWSENV_ON_EXPIRY=clear left AWS_ACCESS_KEY_ID = %s", got)
	}
	if n := said("awsenv: the credentials of profile project1 expired and were removed from this shell (AWSENV_ON_EXPIRY=clear): run `awsenv use project1` for new ones"); n != 1 {
		t.Errorf("clear on expiry announced %d times, want once:\n%s", n, tm.Capture())
	}

	// use, then clear, through the wrapper.
	run("awsenv use project1")
	if got := get("AWSENV_PROFILE"); got != "[project1]" {
		t.Errorf("AWSENV_PROFILE after use = %s", got)
	}
	run("awsenv clear")
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_CREDENTIAL_EXPIRATION", "AWSENV_PROFILE", "AWSENV_PROMPT"} {
		if got := get(name); got != "[]" {
			t.Errorf("after awsenv clear, %s = %s", name, got)
		}
	}
}

// The hook runs `command awsenv` when that is this executable, and the
// executable's own path otherwise.
func TestHookFindsTheBinary(t *testing.T) {
	t.Parallel()
	f := newFixture(t, hookConfig, baseCredentials, "")
	out, _, code := f.awsenv(f.env, "hook", "bash")
	if code != 0 || !strings.Contains(out, `_awsenv_out=$(AWSENV_SHELL=bash command awsenv "$@")`) {
		t.Errorf("hook bash with awsenv on PATH (status %d) does not run `command awsenv`", code)
	}
	out, _, code = f.awsenv([]string{"HOME=" + f.home, "PATH=/usr/bin:/bin"}, "hook", "fish")
	if want := "command " + shell.QuoteFish(filepath.Join(f.bin, "awsenv")) + " $argv"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("hook fish with awsenv not on PATH (status %d) does not run %q", code, want)
	}
	if _, stderr, code := f.awsenv(f.env, "hook", "sh"); code != 2 || !strings.Contains(stderr, strings.Join(shell.HookNames(), ", ")) {
		t.Errorf("hook sh: status %d, %q", code, stderr)
	}
}

// refresh gives up after --deadline even when STS accepts the connection
// and never answers, and leaves stdout empty.
func TestRefreshDeadline(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()
	f := newFixture(t, hookConfig, baseCredentials, "http://"+l.Addr().String())
	start := time.Now()
	out, stderr, code := f.awsenv(f.with("AWSENV_PROFILE=project1"), "refresh", "--no-prompt", "--deadline", "1s", "--shell", "bash")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("refresh --deadline 1s took %v", d)
	}
	if code != 1 || out != "" || !strings.Contains(stderr, "the credentials in this shell are unchanged") {
		t.Errorf("refresh against a silent STS: status %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestHookPromptAgrees holds the real hooks, `awsenv prompt` and `awsenv
// status` to the same time left, at the same moment, for an expiry
// without a zone (UTC), with Z and with an offset. The expiry is 42m30s
// away, so the figure cannot change while the commands run.
func TestHookPromptAgrees(t *testing.T) {
	for _, sh := range []struct{ name, install, set string }{
		{"bash", `eval "$(awsenv hook bash)"`, `export %s='%s'`},
		{"zsh", `eval "$(awsenv hook zsh)"`, `export %s='%s'`},
		{"fish", `awsenv hook fish | source`, `set -gx %s '%s'`},
	} {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh.name)
			f := newFixture(t, hookConfig, baseCredentials, "")
			tm := testenv.StartTmux(t, sh.name, f.with("HISTFILE=/dev/null", "fish_history="), sh.install)
			for _, kv := range [][2]string{{"AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE00"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_SESSION_TOKEN", "token"}, {"AWSENV_PROFILE", "project1"}} {
				tm.Run(fmt.Sprintf(sh.set, kv[0], kv[1]))
			}
			for _, layout := range []struct {
				name string
				zone *time.Location
				fmt  string
			}{
				{"no zone", time.UTC, "2006-01-02T15:04:05"},
				{"Z", time.UTC, "2006-01-02T15:04:05.000Z07:00"},
				{"offset", time.FixedZone("", -(3*3600 + 1800)), "2006-01-02T15:04:05-07:00"},
			} {
				exp := time.Now().Add(42*time.Minute + 30*time.Second).In(layout.zone).Format(layout.fmt)
				tm.Run(fmt.Sprintf(sh.set, "AWS_CREDENTIAL_EXPIRATION", exp))
				hook := tm.Run(`echo "[$AWSENV_PROMPT]"`)
				prompt := tm.Run("awsenv prompt --color never")
				status := tm.Run("awsenv status")
				if hook != "[project1 42m]" || prompt != "project1 42m" || !strings.Contains(status, "(42m left)") {
					t.Errorf("%s (%s): hook %q, prompt %q, status:\n%s\nwant 42m from each", layout.name, exp, hook, prompt, status)
				}
			}
		})
	}
}

// readmeLine returns the line of the hook's documentation (docs/hook.md,
// where the README's quick start points) that starts with prefix.
func readmeLine(t *testing.T, prefix string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "hook.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	t.Fatalf("docs/hook.md has no line starting %q", prefix)
	return ""
}

// TestPromptZshPercent sets up zsh's prompt and pane title as the README
// says, with a profile whose name holds prompt escapes: the name must show
// as it is, not as the user name and home folder that %n and %~ stand for.
func TestPromptZshPercent(t *testing.T) {
	t.Parallel()
	testenv.Shell(t, "zsh")
	f := newFixture(t, hookConfig, baseCredentials, "")
	rprompt := readmeLine(t, "RPROMPT=")
	title := readmeLine(t, "precmd_functions+=(_awsenv_title)")
	title = strings.TrimSpace(strings.TrimSuffix(title, "# zsh"))
	rc := "setopt prompt_subst\n" + rprompt + "\n" + title + "\n" + `eval "$(awsenv hook zsh)"`
	tm := testenv.StartTmux(t, "zsh", f.with("HISTFILE=/dev/null"), rc)
	const name = `50%n%~\e`
	tm.Run(`export AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWSENV_PROFILE='` + name + `'`)
	tm.Run("true")
	lines := strings.Split(strings.TrimRight(tm.Capture(), "\n"), "\n")
	if last := strings.TrimRight(lines[len(lines)-1], " "); !strings.HasSuffix(last, " "+name) {
		t.Errorf("the prompt line does not end in the profile name %q: %q", name, last)
	}
	if got := strings.TrimSpace(tm.PaneTitle()); got != name {
		t.Errorf("pane title = %q, want %q", got, name)
	}
	// `awsenv prompt --shell zsh` is for PROMPT strings: % doubled.
	if got := tm.Run("awsenv prompt --shell zsh --color never"); got != `50%%n%%~\e` {
		t.Errorf("awsenv prompt --shell zsh = %q", got)
	}
}
