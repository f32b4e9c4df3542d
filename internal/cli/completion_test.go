package cli

import (
	"flag"
	"github.com/awsenv/awsenv/internal/completion"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite completions/ from `awsenv completion`")

// completionFiles maps each shell to its script in completions/.
var completionFiles = map[string]string{
	"bash": "awsenv.bash",
	"zsh":  "awsenv.zsh",
	"fish": "awsenv.fish",
	"pwsh": "awsenv.ps1",
}

// runMain runs Main with stdout captured. It swaps os.Stdout, so tests
// that call it do not run in parallel.
func runMain(t *testing.T, args ...string) (string, int) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdout
	os.Stdout = f
	code := Main(args)
	os.Stdout = saved
	out, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestCompletionScripts fails when the committed scripts are not what
// the grammar generates.
func TestCompletionScripts(t *testing.T) {
	for shell, name := range completionFiles {
		path := filepath.Join("..", "..", "completions", name)
		want, code := runMain(t, "completion", shell)
		if code != 0 || want == "" {
			t.Fatalf("awsenv completion %s: exit %d, %d bytes", shell, code, len(want))
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("completions/%s is not the output of `awsenv completion %s` (%v): regenerate with\n    go generate ./internal/cli\n(or go test ./internal/cli -run TestCompletionScripts -update)", name, shell, err)
		}
	}
}

func TestCompletionModel(t *testing.T) {
	bash, _ := runMain(t, "completion", "bash")
	for _, want := range []string{
		`'use --shell') echo 'bash zsh fish pwsh sh'`,       // --shell names
		`'export --format') echo 'env dotenv json process'`, // enum values
		`exec) echo '@profiles @command'`,                   // positional kinds
		`completion) echo 'bash,zsh,fish,pwsh'`,             // enum argument
		"awsenv " + completion.ProfilesCommand,              // live profile names
	} {
		if !strings.Contains(bash, want) {
			t.Errorf("bash script lacks %s", want)
		}
	}
	// Hidden commands and flags are not offered.
	for _, hidden := range []string{completion.ProfilesCommand + ")", "refresh-before"} {
		if strings.Contains(bash, hidden) {
			t.Errorf("bash script offers hidden %s", hidden)
		}
	}
	if _, code := runMain(t, "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

func TestCompleteProfiles(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(cfg, []byte("[default]\n[profile prod]\n[profile dev]\n[sso-session x]\n"), 0o600)
	os.WriteFile(creds, []byte("[user1]\n"), 0o600)
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	out, code := runMain(t, completion.ProfilesCommand)
	if code != 0 || out != "default\ndev\nprod\nuser1\n" {
		t.Errorf("%s = %q, exit %d", completion.ProfilesCommand, out, code)
	}
	// A broken file completes nothing, quietly.
	os.WriteFile(cfg, []byte("[profile\n"), 0o600)
	out, code = runMain(t, completion.ProfilesCommand)
	if code != 0 || out != "" {
		t.Errorf("with a broken config: %q, exit %d", out, code)
	}
}

// TestPwshQuoting stands in for running PowerShell, which the test
// machines lack: every single-quoted string in the script is closed, and
// a quote in a description is doubled.
func TestPwshQuoting(t *testing.T) {
	script, _ := runMain(t, "completion", "pwsh")
	for i, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.Count(line, "'")%2 != 0 {
			t.Errorf("line %d has an unclosed single quote: %s", i+1, line)
		}
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("line %d has an unclosed double quote: %s", i+1, line)
		}
	}
	for _, s := range []string{"{", "(", "["} {
		closer := map[string]string{"{": "}", "(": ")", "[": "]"}[s]
		if strings.Count(script, s) != strings.Count(script, closer) {
			t.Errorf("%d %s but %d %s", strings.Count(script, s), s, strings.Count(script, closer), closer)
		}
	}
}

// grammarFor keeps the global flags and the named command only, and the
// whole grammar for anything else; either way a command line means the
// same.
func TestGrammarFor(t *testing.T) {
	fields := func(g any) []string {
		var names []string
		typ := reflect.TypeOf(g).Elem()
		for i := 0; i < typ.NumField(); i++ {
			names = append(names, typ.Field(i).Name)
		}
		return names
	}
	if got := fields(grammarFor([]string{"use", "p"})); !reflect.DeepEqual(got, []string{"Timeout", "Ver", "Use"}) {
		t.Errorf("use: %q", got)
	}
	if got := fields(grammarFor([]string{"__complete-profiles"})); !reflect.DeepEqual(got, []string{"Timeout", "Ver", "CompleteProfiles"}) {
		t.Errorf("__complete-profiles: %q", got)
	}
	all := reflect.TypeOf(CLI{}).NumField()
	for _, args := range [][]string{nil, {"--timeout", "1s", "use", "p"}, {"nosuch"}, {"--help"}} {
		if got := fields(grammarFor(args)); len(got) != all {
			t.Errorf("%q: %q, want the whole grammar", args, got)
		}
	}
}
