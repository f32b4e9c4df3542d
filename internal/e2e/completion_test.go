package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// completionConfig adds a second profile that starts with "pro".
const completionConfig = baseConfig + `
[profile prod]
region = us-east-1
`

func completionScript(t *testing.T, name string) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "completions", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	testenv.Shell(t, "bash")
	f := newFixture(t, completionConfig, baseCredentials, "")
	script := completionScript(t, "awsenv.bash")
	for _, tc := range []struct {
		line string // the words, the last one being completed
		want string
	}{
		{"awsenv use pro", "prod project1"},
		{"awsenv use ''", "prod project1 static user1"},
		{"awsenv ex", "exec export"},
		{"awsenv use --shell f", "fish"},
		{"awsenv use --shell = f", "fish"}, // --shell=f: bash splits at =
		{"awsenv use --shell = bash pro", "prod project1"},
		{"awsenv --timeout 5s use --region eu pro", "prod project1"},
		{"awsenv export static --format j", "json"},
		{"awsenv exec --server pro", "prod project1"},
		{"awsenv exec project1 -- aw", "aws"},
		{"awsenv completion z", "zsh"},
		{"awsenv use --re", "--region --refresh"}, // in flag order; readline sorts
	} {
		t.Run(tc.line, func(t *testing.T) {
			t.Parallel()
			sh := `source '` + script + `'
COMP_WORDS=(` + tc.line + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_awsenv
printf '%s\n' "${COMPREPLY[@]}"`
			out, stderr, code := f.shell("bash", sh)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			got := strings.Join(strings.Fields(out), " ")
			if tc.line == "awsenv exec project1 -- aw" {
				if !strings.Contains(" "+got+" ", " aws ") {
					t.Errorf("completions %q lack aws", got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("completions %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompletionFish(t *testing.T) {
	t.Parallel()
	testenv.Shell(t, "fish")
	f := newFixture(t, completionConfig, baseCredentials, "")
	script := completionScript(t, "awsenv.fish")
	for _, tc := range []struct{ line, want string }{
		{"awsenv use pro", "prod project1"},
		{"awsenv ex", "exec export"},
		{"awsenv use --shell f", "fish"},
		{"awsenv --timeout 5s use --region eu pro", "prod project1"},
		{"awsenv export static --format j", "json"},
		{"awsenv completion z", "zsh"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			t.Parallel()
			sh := `source '` + script + `'; complete -C '` + tc.line + `'`
			out, stderr, code := f.shell("fish", sh)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				word, _, _ := strings.Cut(line, "\t")
				got = append(got, word)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("completions %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCompletionZsh types Tab in an interactive zsh with compinit, the
// only way zsh runs a completion function.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	testenv.Shell(t, "zsh")
	testenv.LookPath(t, "tmux")
	f := newFixture(t, completionConfig, baseCredentials, "")
	fpath := t.TempDir()
	data, err := os.ReadFile(completionScript(t, "awsenv.zsh"))
	if err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(fpath, "_awsenv"), string(data), 0o644)
	// Enter shows the line Tab made instead of running it.
	rc := `fpath=(` + fpath + ` $fpath)
autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump"
show-line() { print -r -- "LINE=[$BUFFER]"; BUFFER=; zle .accept-line }
zle -N accept-line show-line
`
	tm := testenv.StartTmux(t, "zsh", f.env, rc)
	for _, tc := range []struct{ typed, want string }{
		{"awsenv use proj\t", "LINE=[awsenv use project1 ]"},
		{"awsenv use --shell fi\t", "LINE=[awsenv use --shell fish ]"},
		{"awsenv exp\t", "LINE=[awsenv export ]"},
		{"awsenv export static --format js\t", "LINE=[awsenv export static --format json ]"},
		{"awsenv exec --server st\t", "LINE=[awsenv exec --server static ]"},
		{"awsenv exec static -- printen\t", "LINE=[awsenv exec static -- printenv ]"},
	} {
		tm.Send(tc.typed)
		tm.WaitFor(tc.want, 10*time.Second)
	}
}

// Profile names are data: a name holding $(...), backticks or a glob is
// offered, quoted for the command line, and never run or expanded.
func TestCompletionBashHostileNames(t *testing.T) {
	testenv.Shell(t, "bash")
	marker := filepath.Join(t.TempDir(), "ran")
	// Names with white space are not profiles to the SDKs: these are.
	config := "[profile p$(id>" + marker + ")]\n[profile p`id>" + marker + "`]\n[profile p*]\n[profile p&id]\n"
	f := newFixture(t, config, "", "")
	script := completionScript(t, "awsenv.bash")
	sh := `source '` + script + `'
COMP_WORDS=(awsenv use p)
COMP_CWORD=2
_awsenv
printf '%s\n' "${COMPREPLY[@]}"`
	out, stderr, code := f.shell("bash", sh)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("Tab ran a command from a profile name")
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{`p\$\(id\>` + marker + `\)`, `p\&id`, `p\*`, "p\\`id\\>" + marker + "\\`"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("completions\n%q\nwant\n%q", got, want)
	}
}

// The README's zsh lines work in a bare ~/.zshrc: compinit, then the
// script sourced from awsenv itself.
func TestCompletionZshBareRC(t *testing.T) {
	t.Parallel()
	testenv.Shell(t, "zsh")
	testenv.LookPath(t, "tmux")
	f := newFixture(t, completionConfig, baseCredentials, "")
	rc := `autoload -Uz compinit && compinit
source <(awsenv completion zsh)
show-line() { print -r -- "LINE=[$BUFFER]"; BUFFER=; zle .accept-line }
zle -N accept-line show-line
`
	tm := testenv.StartTmux(t, "zsh", f.env, rc)
	tm.Send("awsenv use proj\t")
	tm.WaitFor("LINE=[awsenv use project1 ]", 10*time.Second)
}
