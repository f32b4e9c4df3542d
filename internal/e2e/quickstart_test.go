package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"
)

// quickStartLines returns the hook line and the prompt line the README's
// quick start gives for shell (its table rows), as a person would copy
// them.
func quickStartLines(t *testing.T, shell string) (hook, prompt string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "## Quick start")
	end := strings.Index(text, "## Set up")
	if start < 0 || end < start {
		t.Fatal("README.md has no quick start before its set-up section")
	}
	code := regexp.MustCompile("`((?:[^`\\\\]|\\\\.)*)`")
	for _, line := range strings.Split(text[start:end], "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "| "+shell+" |") {
			continue
		}
		cells := code.FindAllStringSubmatch(line, -1)
		// In a markdown table a | in code is written \|.
		last := strings.ReplaceAll(cells[len(cells)-1][1], `\|`, "|")
		if len(cells) == 2 { // | shell | `file` | `hook line` |
			hook = last
		} else {
			prompt = last
		}
	}
	if hook == "" || prompt == "" {
		t.Fatalf("the quick start has no hook or prompt line for %s", shell)
	}
	return hook, prompt
}

// The quick start, word for word, in a real interactive bash, zsh and
// fish: the hook line and the prompt line in the startup file, then
// `awsenv use project1` shows whom the shell acts as, the prompt counts
// down, and the AWS CLI answers as the role.
func TestQuickStart(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh)
			moto := testenv.StartMoto(t)
			f := newFixture(t, baseConfig, baseCredentials, moto.URL())
			hook, prompt := quickStartLines(t, sh)
			tm := testenv.StartTmux(t, sh, f.with("HISTFILE=/dev/null", "fish_history="), hook+"\n"+prompt)
			tm.Send("awsenv use project1")
			tm.WaitFor("awsenv: project1 → 123456789012 Prod-Role (eu-west-1), expires ", 20*time.Second)
			tm.Send("true")
			countdown := regexp.MustCompile(`(?m)^[^a].*project1 (59m|1h00m)`)
			if sh == "bash" {
				countdown = regexp.MustCompile(`\(project1 (59m|1h00m)\) `)
			}
			var screen string
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				if screen = tm.Capture(); countdown.MatchString(screen) {
					break
				}
			}
			if !countdown.MatchString(screen) {
				t.Errorf("the prompt shows no countdown:\n%s", screen)
			}
			if got := tm.Run("aws sts get-caller-identity --query Arn --output text"); !strings.Contains(got, "assumed-role/Prod-Role/awsenv-") {
				t.Errorf("the AWS CLI after the quick start: %q", got)
			}
		})
	}
}
