//go:build !windows

package picker

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
	"github.com/awsenv/awsenv/internal/tty"
)

// demoEnv makes the test binary the picker demo instead of running tests:
// it picks from testItems and prints, as `awsenv use` will, a statement
// for eval on stdout, and nothing on stdout when cancelled.
const demoEnv = "AWSENV_PICKER_DEMO"

func TestMain(m *testing.M) {
	if os.Getenv(demoEnv) == "1" {
		os.Exit(demo())
	}
	os.Exit(m.Run())
}

func demo() int {
	items := append([]Item{}, testItems...)
	items = append(items, Item{Profile: "evil\x1b[2J\x1b]0;pwned\x07", Account: "444444444444", Kind: "static keys"})
	fmt.Fprintf(os.Stderr, "demo pid %d\n", os.Getpid())
	it, err := Pick(items, Options{})
	switch {
	case errors.Is(err, ErrCancelled):
		fmt.Fprintln(os.Stderr, "demo: cancelled")
		return 1
	case errors.Is(err, tty.ErrNoTerminal):
		fmt.Fprintln(os.Stderr, "demo: no terminal")
		return 2
	case err != nil:
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 3
	}
	fmt.Printf("PICKED=%s\n", it.Profile)
	return 0
}

// pane is a bash in tmux that runs the demo.
type pane struct {
	t      *testing.T
	status string // the shell's last exit status: $? or $status
	tm     *testenv.Tmux
	demo   string // the command that runs the demo
	out    string // where start sends its stdout
	stty   string // the terminal's settings before
	typed  string // the marker typed with the last command
}

func newPane(t *testing.T) *pane { return newShellPane(t, "bash") }

func newShellPane(t *testing.T, shell string) *pane {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	rc, status := "PS1='$ '", "$?"
	if shell == "fish" {
		rc, status = "function fish_prompt; echo -n '$ '; end", "$status"
	}
	p := &pane{t: t, tm: testenv.StartTmux(t, shell, testenv.CleanEnv(home), rc), status: status,
		demo: demoEnv + "=1 " + exe, out: filepath.Join(home, "stdout")}
	p.stty = p.tm.Run("stty -g")
	return p
}

// start types cmd and waits for the picker to show.
func (p *pane) start(cmd string) {
	p.t.Helper()
	p.typed = "__''DONE__"
	p.tm.Send(cmd + "; echo " + p.typed + "=" + p.status)
	p.tm.WaitFor("profile> ", 10*time.Second)
}

// done waits for the command to end and returns its exit status.
func (p *pane) done() string {
	p.t.Helper()
	screen := p.tm.WaitFor("\n__DONE__=", 10*time.Second)
	rest := screen[strings.LastIndex(screen, "\n__DONE__=")+len("\n__DONE__="):]
	return strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0])
}

// stdout returns what the last command wrote to p.out.
func (p *pane) stdout() string {
	p.t.Helper()
	b, err := os.ReadFile(p.out)
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

// after returns the screen below the last command line typed: where the
// picker drew.
func (p *pane) after() string {
	p.t.Helper()
	screen := p.tm.Capture()
	return screen[strings.LastIndex(screen, p.typed)+len(p.typed):]
}

// noLeftovers checks the terminal is as it was before the picker: no list
// or prompt on the screen, the cursor shown, the same stty settings.
func (p *pane) noLeftovers() {
	p.t.Helper()
	screen := p.after()
	for _, leftover := range []string{"profile> ", "PROFILE", "ACCOUNT", "222222222222", "us-east-1", "static keys"} {
		if strings.Contains(screen, leftover) {
			p.t.Errorf("%q left on the screen:\n%s", leftover, screen)
		}
	}
	if !p.tm.CursorVisible() {
		p.t.Errorf("cursor hidden")
	}
	if got := p.tm.Run("stty -g"); got != p.stty {
		p.t.Errorf("terminal settings %s, were %s", got, p.stty)
	}
}

// TestPickInTmux runs Pick in a real terminal: bash in tmux runs the demo
// with stdout redirected to a file or captured by eval, as
// `eval "$(awsenv use)"` takes it, and the test types, presses keys and
// reads the file and the screen.
func TestPickInTmux(t *testing.T) {
	t.Run("account ID fragment, Enter", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		// The hostile name is drawn escaped, and did not clear the screen
		// (the command line is still on it).
		p.tm.WaitFor(`evil\x1b[2J\x1b]0;pwned\x07`, 5*time.Second)
		p.tm.Type("3333")
		// The selected row is drawn after the count.
		screen := p.tm.WaitFor("> sso-billing", 5*time.Second)
		if !strings.Contains(screen, "profile> 3333  1/5") {
			t.Errorf("typing 3333 did not leave sso-billing alone:\n%s", screen)
		}
		p.tm.Keys("Enter")
		if status := p.done(); status != "0" {
			t.Fatalf("exit status %s, want 0", status)
		}
		if got := p.stdout(); got != "PICKED=sso-billing\n" {
			t.Errorf("stdout %q, want only the choice", got)
		}
		p.noLeftovers()
	})

	t.Run("arrows, Enter", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		p.tm.Keys("Down", "Down", "Down", "Up", "Enter")
		if status := p.done(); status != "0" {
			t.Fatalf("exit status %s, want 0", status)
		}
		if got := p.stdout(); got != "PICKED=sso-billing\n" {
			t.Errorf("stdout %q, want PICKED=sso-billing", got)
		}
		p.noLeftovers()
	})

	t.Run("Esc cancels", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		p.tm.Type("pro")
		p.tm.WaitFor("1/5", 5*time.Second)
		p.tm.Keys("Escape")
		if status := p.done(); status != "1" {
			t.Fatalf("exit status %s after Esc, want 1 (cancelled)", status)
		}
		if got := p.stdout(); got != "" {
			t.Errorf("stdout %q after Esc, want nothing", got)
		}
		p.noLeftovers()
	})

	t.Run("Ctrl-C cancels", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		p.tm.Keys("C-c")
		if status := p.done(); status != "1" {
			t.Fatalf("exit status %s after Ctrl-C, want 1 (cancelled, not killed)", status)
		}
		if got := p.stdout(); got != "" {
			t.Errorf("stdout %q after Ctrl-C, want nothing", got)
		}
		p.noLeftovers()
	})

	// As awsenv use runs: inside the shell's command substitution, whose
	// output the shell evaluates.
	for _, sh := range []struct{ shell, cmd string }{
		{"bash", `eval "$(%s)"; echo "picked:$PICKED"`},
		{"zsh", `eval "$(%s)"; echo "picked:$PICKED"`},
		{"fish", `set -g PICKED (%s | string split -f2 =); echo "picked:$PICKED"`},
	} {
		t.Run("inside eval in "+sh.shell, func(t *testing.T) {
			p := newShellPane(t, sh.shell)
			p.start(fmt.Sprintf(sh.cmd, p.demo))
			p.tm.Type("prod")
			p.tm.WaitFor("1/5", 5*time.Second)
			p.tm.Keys("Enter")
			p.done()
			if screen := p.after(); !strings.Contains(screen, "\npicked:prod\n") {
				t.Errorf("the shell did not set PICKED=prod:\n%s", screen)
			}
			p.noLeftovers()
		})
	}

	// Narrower than the window, but not than the rows: tmux, like most
	// terminals now, reflows lines longer than a narrowed window into
	// several, above where the picker redraws, and those remains stay (as
	// with other inline pickers). Lower than the list: it must shrink.
	t.Run("resize", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		p.tm.Resize(110, 6)
		// Until the picker redraws, tmux shows what the resize left.
		var screen string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			screen = p.tm.Screen()
			if strings.Contains(screen, "> dev ") && strings.Contains(screen, "  static ") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the picker did not redraw in a 6-line window:\n%s", screen)
			}
		}
		// The prompt, the header and 4 of the 5 rows.
		if n := strings.Count(strings.TrimRight(screen, "\n"), "\n") + 1; n > 6 || !strings.Contains(screen, "profile> ") || strings.Contains(screen, "evil") {
			t.Errorf("not the prompt, header and first 4 rows in 6 lines:\n%s", screen)
		}
		p.tm.Keys("Escape")
		p.done()
		p.tm.Resize(200, 50)
		p.noLeftovers()
	})

	t.Run("SIGTERM", func(t *testing.T) {
		p := newPane(t)
		p.start(p.demo + " >" + p.out)
		var pid int
		if _, err := fmt.Sscanf(p.after()[strings.Index(p.after(), "demo pid "):], "demo pid %d", &pid); err != nil {
			t.Fatalf("no pid on the screen: %v\n%s", err, p.after())
		}
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if status := p.done(); status != "1" {
			t.Fatalf("exit status %s after SIGTERM, want 1 (cancelled, terminal restored)", status)
		}
		p.noLeftovers()
	})
}

// TestPickWithoutTerminal runs the demo in a session of its own, which has
// no controlling terminal: Pick must say so, and write nothing on stdout.
func TestPickWithoutTerminal(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), demoEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2 (no terminal); stderr:\n%s", err, stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
	if !strings.Contains(stderr.String(), "no terminal") {
		t.Errorf("stderr %q, want the demo's no terminal", stderr.String())
	}
}
