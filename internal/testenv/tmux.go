package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Tmux is an interactive shell running in a detached tmux session, for tests
// of what only an interactive shell does, such as prompt hooks.
type Tmux struct {
	t      testing.TB
	tmux   string // path of the tmux binary
	socket string // tmux -L name, private to this session
	runs   int    // numbers Run's markers
}

var tmuxSessions atomic.Int64

// readyMarker is printed by the rc file, so StartTmux can tell the shell has
// finished starting.
const readyMarker = "__TESTENV_READY__"

// runTimeout bounds each Run; awsenv started from the shell may call moto,
// whose first requests are slow.
const runTimeout = 20 * time.Second

// StartTmux starts shell (a name or a path) interactively in a 200x50 tmux
// session, with the environment env and rcSetup as its rc file. HOME is a
// fresh temporary directory unless env sets it; the shell starts in HOME.
// tmux sets TERM, TMUX and TMUX_PANE itself.
func StartTmux(t testing.TB, shell string, env []string, rcSetup string) *Tmux {
	t.Helper()
	kind := shellKind(t, shell)
	path := Shell(t, shell)
	tm := &Tmux{
		t:      t,
		tmux:   LookPath(t, "tmux"),
		socket: fmt.Sprintf("testenv-%d-%d", os.Getpid(), tmuxSessions.Add(1)),
	}

	dir := t.TempDir()
	env = append([]string{}, env...)
	home := lookupEnv(env, "HOME")
	if home == "" {
		home = dir
		env = append(env, "HOME="+home)
	}
	rc := rcSetup + "\necho " + readyMarker + "\n"
	var argv []string
	switch kind {
	case "bash":
		rcFile := filepath.Join(dir, "bashrc")
		WriteFile(t, rcFile, rc, 0o644)
		argv = []string{path, "--noprofile", "--rcfile", rcFile, "-i"}
	case "zsh":
		// The system zshrc (compinit, prompts) would make screens differ
		// between machines; only /etc/zsh/zshenv is still read.
		WriteFile(t, filepath.Join(dir, ".zshenv"), "unsetopt GLOBAL_RCS\n", 0o644)
		WriteFile(t, filepath.Join(dir, ".zshrc"), rc, 0o644)
		env = append(env, "ZDOTDIR="+dir)
		argv = []string{path, "-i"}
	case "fish":
		WriteFile(t, filepath.Join(dir, "fish", "config.fish"), "set -g fish_greeting\n"+rc, 0o644)
		env = append(env, "XDG_CONFIG_HOME="+dir)
		argv = []string{path, "-i"}
	}

	// The tmux server copies the environment of the client that starts it,
	// so the client gets exactly env. -u forces UTF-8 whatever the locale.
	// remain-on-exit keeps the screen of a shell that died, for the error
	// message of the next WaitFor.
	args := []string{"-u", "-L", tm.socket, "-f", "/dev/null",
		"new-session", "-d", "-x", "200", "-y", "50", "-c", home, "--"}
	args = append(args, argv...)
	args = append(args, ";", "set-option", "-g", "remain-on-exit", "on")
	cmd := exec.Command(tm.tmux, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	var socketPath string
	sid := 0
	t.Cleanup(func() {
		exec.Command(tm.tmux, "-L", tm.socket, "kill-server").Run()
		os.Remove(socketPath)
		// What the shell started (bash writing its history, fish
		// generating completions in the background) outlives the server
		// and would still be writing into HOME while the test removes it.
		if sid > 0 {
			killSession(sid)
		}
	})
	// tmux leaves its socket file behind when the server exits.
	socketPath = strings.TrimSpace(tm.command("display-message", "-p", "#{socket_path}"))
	// tmux starts each pane's shell as the leader of a session of its own.
	sid, _ = strconv.Atoi(strings.TrimSpace(tm.command("display-message", "-p", "#{pane_pid}")))
	tm.WaitFor(readyMarker, 10*time.Second)
	return tm
}

func lookupEnv(env []string, key string) string {
	value := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			value = v // the last one wins, as in os/exec
		}
	}
	return value
}

// command runs a tmux client command against the session's server.
func (tm *Tmux) command(args ...string) string {
	tm.t.Helper()
	args = append([]string{"-L", tm.socket}, args...)
	out, err := exec.Command(tm.tmux, args...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Send types keys literally, then Enter.
func (tm *Tmux) Send(keys string) {
	tm.t.Helper()
	tm.Type(keys)
	tm.Keys("Enter")
}

// Type types text literally, without Enter.
func (tm *Tmux) Type(text string) {
	tm.t.Helper()
	// tmux splits its command line at an argument ending in ";", and
	// turns a final `\;` into ";".
	if strings.HasSuffix(text, ";") {
		text = text[:len(text)-1] + `\;`
	}
	tm.command("send-keys", "-l", "--", text)
}

// Keys presses keys by tmux's names for them: "Enter", "Escape", "Down",
// "C-c".
func (tm *Tmux) Keys(names ...string) {
	tm.t.Helper()
	tm.command(append([]string{"send-keys", "--"}, names...)...)
}

// Resize makes the window width columns by height lines.
func (tm *Tmux) Resize(width, height int) {
	tm.t.Helper()
	tm.command("resize-window", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height))
}

// CursorVisible reports whether the pane shows its cursor.
func (tm *Tmux) CursorVisible() bool {
	tm.t.Helper()
	return strings.TrimSpace(tm.command("display-message", "-p", "#{cursor_flag}")) == "1"
}

// Capture returns the screen and its scrollback, wrapped lines joined and
// the empty lines below the cursor removed.
func (tm *Tmux) Capture() string {
	tm.t.Helper()
	screen := tm.command("capture-pane", "-p", "-J", "-S", "-")
	return strings.TrimRight(screen, "\n") + "\n"
}

// Screen returns the visible screen only, without the scrollback.
func (tm *Tmux) Screen() string {
	tm.t.Helper()
	return tm.command("capture-pane", "-p")
}

// WaitFor waits until the screen contains substr and returns the screen.
// The test fails, showing the screen, if that takes longer than timeout.
func (tm *Tmux) WaitFor(substr string, timeout time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := tm.Capture()
		if strings.Contains(screen, substr) {
			return screen
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out after %v waiting for %q; screen:\n%s", timeout, substr, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Run runs the one-line command cmd and returns its output, without the
// trailing newline. The output of prompt hooks that run after cmd is not
// included: it shows up before the output of the next Run.
func (tm *Tmux) Run(cmd string) string {
	tm.t.Helper()
	tm.runs++
	start := fmt.Sprintf("__TESTENV_START_%d__", tm.runs)
	end := fmt.Sprintf("__TESTENV_END_%d__", tm.runs)
	// The shell echoes the typed line, so the markers are typed with an
	// empty quoted string inside them: only the echo outputs match.
	// '' means the same in bash, zsh and fish.
	typed := func(marker string) string { return "__''" + marker[2:] }
	tm.Send(fmt.Sprintf("echo %s; %s; echo %s", typed(start), cmd, typed(end)))

	screen := tm.WaitFor("\n"+end+"\n", runTimeout)
	i := strings.Index(screen, "\n"+start+"\n")
	j := strings.Index(screen, "\n"+end+"\n")
	if i < 0 || j < i {
		tm.t.Fatalf("Run(%q): no output between markers; screen:\n%s", cmd, screen)
	}
	out := screen[i+len(start)+2 : j+1]
	// tmux -J keeps trailing spaces, which the eye cannot check.
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for k, line := range lines {
		lines[k] = strings.TrimRight(line, " ")
	}
	return strings.Join(lines, "\n")
}

// killSession kills every process of session sid and waits, up to five
// seconds, until they are gone.
func killSession(sid int) {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		pids := sessionPIDs(sid)
		if len(pids) == 0 {
			return
		}
		for _, pid := range pids {
			killPID(pid)
		}
	}
}

// sessionPIDs lists the live processes of session sid, from /proc.
func sessionPIDs(sid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp session ...; comm may hold spaces.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 3 && fields[0] != "Z" && fields[3] == strconv.Itoa(sid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// PaneTitle returns the title the shell set with the OSC 2 sequence.
func (tm *Tmux) PaneTitle() string {
	tm.t.Helper()
	return strings.TrimSuffix(tm.command("display-message", "-p", "#{pane_title}"), "\n")
}
