package shell_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPath is a Windows path with every character PowerShell quoting
// must survive: space, ', $, `, a typographic quote and non-ASCII.
const goldenPath = "C:\\Program Files\\awsenv's $HOME `x` \u2019\u00e9\U0001F600\\awsenv.exe"

// hook is shell.Hook with awsenv's rules, as `awsenv hook` calls it.
func hook(name string, o shell.HookOptions) (string, error) {
	o.Rules = session.HookRules()
	return shell.Hook(name, o)
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		shell string
		opts  shell.HookOptions
		file  string
	}{
		{"pwsh", shell.HookOptions{Path: goldenPath}, "hook.ps1.golden"},
		{"pwsh", shell.HookOptions{Path: goldenPath, AutoRefresh: true}, "hook-auto-refresh.ps1.golden"},
		{"bash", shell.HookOptions{Path: "/usr/local/bin/awsenv", OnPath: true}, "hook.bash.golden"},
		{"zsh", shell.HookOptions{Path: "/usr/local/bin/awsenv", OnPath: true}, "hook.zsh.golden"},
		{"fish", shell.HookOptions{Path: "/opt/it's here/awsenv"}, "hook.fish.golden"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := hook(tc.shell, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/shell -update)", err)
			}
			if got != string(want) {
				t.Errorf("hook differs from %s; if the change is intended, run go test ./internal/shell -update", path)
			}
		})
	}
}

func TestScriptPlaceholders(t *testing.T) {
	for _, sh := range shell.HookNames() {
		for _, auto := range []bool{false, true} {
			s, err := hook(sh, shell.HookOptions{Path: "/x/awsenv", AutoRefresh: auto})
			if err != nil {
				t.Fatal(err)
			}
			if m := regexp.MustCompile(`@[A-Z_]+@`).FindString(s); m != "" {
				t.Errorf("%s: placeholder %s left in the script", sh, m)
			}
			want := "0"
			if auto {
				want = "1"
			}
			if sh != "fish" && !strings.Contains(s, "AWSENV_AUTO_REFRESH:-"+want+"}") && !strings.Contains(s, "$autoSetting = '"+want+"'") {
				t.Errorf("%s: auto-refresh default %s not written", sh, want)
			}
		}
	}
	if _, err := hook("sh", shell.HookOptions{Path: "/x"}); err == nil {
		t.Error("hook(sh) succeeded; there is no sh hook")
	}
	if _, err := hook("pwsh", shell.HookOptions{Path: "a\xffb"}); err == nil {
		t.Error("hook(pwsh) with a path that is not UTF-8 succeeded")
	}
}

// TestPwshQuoting checks the PowerShell hook without PowerShell: it is
// printable ASCII (PowerShell reads a native command's output in the
// console's code page), every string closes on its line, brackets balance,
// double-quoted strings expand only the hook's own variables, and the
// executable's path comes back from its quoted form byte for byte.
func TestPwshQuoting(t *testing.T) {
	s, err := hook("pwsh", shell.HookOptions{Path: goldenPath})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\n' && (c < 0x20 || c > 0x7e) {
			t.Fatalf("byte %#x at %d is not printable ASCII", c, i)
		}
	}
	allowed := map[string]bool{"$x": true, "$p": true, "$l": true, "$name": true, "$_": true, "$function": true}
	depth := map[byte]int{}
	pairs := map[byte]byte{')': '(', '}': '{', ']': '['}
	for n, line := range strings.Split(s, "\n") {
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case '#':
				i = len(line)
			case '\'':
				j := i + 1
				for ; j < len(line); j++ {
					if line[j] == '\'' {
						if j+1 < len(line) && line[j+1] == '\'' {
							j++
							continue
						}
						break
					}
				}
				if j == len(line) {
					t.Fatalf("line %d: single-quoted string does not close: %s", n+1, line)
				}
				i = j
			case '"':
				j := i + 1
				for ; j < len(line) && line[j] != '"'; j++ {
					switch line[j] {
					case '`':
						j++
					case '$':
						v := regexp.MustCompile(`^\$[A-Za-z_]*`).FindString(line[j:])
						if !allowed[v] {
							t.Errorf("line %d: double-quoted string expands %q: %s", n+1, v, line)
						}
					}
				}
				if j >= len(line) {
					t.Fatalf("line %d: double-quoted string does not close: %s", n+1, line)
				}
				i = j
			case '(', '{', '[':
				depth[c]++
			case ')', '}', ']':
				depth[pairs[c]]--
				if depth[pairs[c]] < 0 {
					t.Fatalf("line %d: unbalanced %c: %s", n+1, c, line)
				}
			}
		}
	}
	for c, d := range depth {
		if d != 0 {
			t.Errorf("%c is unbalanced by %d", c, d)
		}
	}
	m := regexp.MustCompile(`(?m)^\$global:__awsenvBin = (.*)$`).FindStringSubmatch(s)
	if m == nil {
		t.Fatal("no $global:__awsenvBin assignment")
	}
	if got := decodePwsh(t, m[1]); got != goldenPath {
		t.Errorf("path decodes to %q, want %q", got, goldenPath)
	}
}

// decodePwsh evaluates the expressions shell.QuotePwsh writes: single-quoted
// strings and [char]0xNNNN joined with +.
func decodePwsh(t *testing.T, expr string) string {
	t.Helper()
	var units []uint16
	re := regexp.MustCompile(`^(?:'((?:[^']|'')*)'|\[char\]0x([0-9A-F]{4}))(?: \+ |$)`)
	for expr != "" {
		m := re.FindStringSubmatch(expr)
		if m == nil {
			t.Fatalf("cannot decode %q", expr)
		}
		if m[2] != "" {
			u, _ := strconv.ParseUint(m[2], 16, 16)
			units = append(units, uint16(u))
		} else {
			for _, r := range strings.ReplaceAll(m[1], "''", "'") {
				units = append(units, uint16(r))
			}
		}
		expr = expr[len(m[0]):]
	}
	var b strings.Builder
	for i := 0; i < len(units); i++ {
		r := rune(units[i])
		if r >= 0xd800 && r < 0xdc00 && i+1 < len(units) {
			r = 0x10000 + (r-0xd800)<<10 + rune(units[i+1]) - 0xdc00
			i++
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestHookRules checks that the scripts take their facts from the rules:
// change a rule and every script that uses it changes.
func TestHookRules(t *testing.T) {
	r := session.HookRules()
	r.WarnBefore = 7*time.Minute + 7*time.Second
	r.RefreshTimeout = 9 * time.Second
	r.Watch = append(r.Watch, "AWSENV_TEST_WATCHED")
	r.Messages.SoonManaged = "it's {soon}: %s has %s; see `awsenv refresh`"
	for _, tc := range []struct{ shell, warn, timeout, watched, msg string }{
		{"bash", "_awsenv_window \"$_awsenv_warn_before_raw\" 427\n", ":-'9s'}", "|${AWSENV_TEST_WATCHED-}\"", `printf 'it'\''s {soon}: %s has %s; see ` + "`awsenv refresh`'" + `'\n'`},
		{"zsh", "_awsenv_window \"$_awsenv_warn_before_raw\" 427\n", ":-'9s'}", "|${AWSENV_TEST_WATCHED-}\"", `printf 'it'\''s {soon}: %s has %s; see ` + "`awsenv refresh`'" + `'\n'`},
		{"pwsh", "__awsenv_window $wb 427\n", "$timeout = '9s'", ", $Env:AWSENV_TEST_WATCHED)", `('it''s {{soon}}: {0} has {1}; see ` + "`awsenv refresh`'" + ` -f $p, $l)`},
		{"fish", "", "set -l timeout '9s'", "|$AWSENV_TEST_WATCHED\"", ""},
	} {
		s, err := shell.Hook(tc.shell, shell.HookOptions{Path: "/x/awsenv", Rules: r})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.warn, tc.timeout, tc.watched, tc.msg} {
			if !strings.Contains(s, want) {
				t.Errorf("%s hook lacks %q", tc.shell, want)
			}
		}
	}
	for _, bad := range []string{"50%% done %s", "%d left", `a\nb %s`} {
		r := session.HookRules()
		r.Messages.ExpiredForeign = bad
		if _, err := shell.Hook("bash", shell.HookOptions{Path: "/x", Rules: r}); err == nil {
			t.Errorf("message %q accepted; printf would read more than %%s in it", bad)
		}
	}
	r = session.HookRules()
	r.Watch = append(r.Watch, "NOT-A-NAME")
	if _, err := shell.Hook("zsh", shell.HookOptions{Path: "/x", Rules: r}); err == nil {
		t.Error("a watched variable that is not a name was accepted")
	}
}
