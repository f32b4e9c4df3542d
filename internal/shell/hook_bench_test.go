package shell_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"

	"github.com/awsenv/awsenv/internal/shell"
)

// The per-prompt cost of the hook with fresh credentials, the case that
// happens at nearly every prompt. Each benchmark runs the prompt hook b.N
// times in one shell and subtracts the same loop calling an empty
// function, so shell start-up and loop overhead are not counted; ns/op is
// the cost of one prompt.
//
//	go test ./internal/shell -run '^$' -bench . -benchtime 2000x
func BenchmarkPromptHook(b *testing.B) {
	bin := filepath.Join(testenv.BuildBinaries(b), "awsenv")
	const loop = "for ((i = 0; i < %d; i++)); do %s; done"
	for _, tc := range []struct{ name, sh, hook, loop string }{
		{"bash", "bash", "_awsenv_hook", loop},
		{"zsh", "zsh", "_awsenv_hook", loop},
		// What the hook does when the minute shown changes, or a variable
		// it reads: everything but parsing the timestamp again.
		{"bash-recompute", "bash", "_awsenv_update 1", loop},
		{"zsh-recompute", "zsh", "_awsenv_update 1", loop},
		// fish reads /proc/uptime on the fast path, and runs `awsenv
		// prompt-hook` to recompute.
		{"fish", "fish", "__awsenv_on_prompt", "for i in (seq %d); %s; end"},
		{"fish-recompute", "fish", "__awsenv_update 1", "for i in (seq %d); %s; end"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			testenv.Shell(b, tc.sh)
			script, err := hook(tc.sh, shell.HookOptions{Path: bin})
			if err != nil {
				b.Fatal(err)
			}
			dir := b.TempDir()
			hook := filepath.Join(dir, "hook")
			testenv.WriteFile(b, hook, script, 0o644)
			env := append(testenv.CleanEnv(dir), "AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWSENV_PROFILE=project1",
				"AWS_CREDENTIAL_EXPIRATION="+time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
			noop := "function _noop; end"
			if tc.sh != "fish" {
				noop = "_noop() { :; }"
			}
			timed := func(call string) time.Duration {
				src := fmt.Sprintf(". %s\n%s\n%s\n", hook, noop, fmt.Sprintf(tc.loop, b.N, call))
				start := time.Now()
				_, stderr, code := testenv.RunShell(b, tc.sh, src, env)
				if code != 0 || stderr != "" {
					b.Fatalf("%s: status %d: %s", tc.sh, code, stderr)
				}
				return time.Since(start)
			}
			// The least of a few runs of each: the machine's other work
			// only ever adds time.
			least := func(call string) time.Duration {
				d := timed(call)
				for i := 0; i < 4; i++ {
					d = min(d, timed(call))
				}
				return d
			}
			b.ResetTimer()
			cost := least(tc.hook) - least("_noop")
			b.ReportMetric(float64(cost.Nanoseconds())/float64(b.N), "ns/op")
		})
	}
}

// BenchmarkStartup compares what fish starts at each prompt with an empty
// Go program built the same way: the target is at most 1.5 times as long.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	testenv.WriteFile(b, filepath.Join(dir, "go.mod"), "module empty\n", 0o644)
	testenv.WriteFile(b, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}\n", 0o644)
	build := exec.Command(testenv.LookPath(b, "go"), "build", "-o", "empty", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building an empty program: %v\n%s", err, out)
	}
	awsenv := filepath.Join(testenv.BuildBinaries(b), "awsenv")
	env := append(testenv.CleanEnv(dir), "AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWSENV_PROFILE=project1",
		"AWS_CREDENTIAL_EXPIRATION="+time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	for _, tc := range []struct {
		name string
		argv []string
	}{
		{"empty-go", []string{filepath.Join(dir, "empty")}},
		{"awsenv-prompt-hook", []string{awsenv, "prompt-hook", "fish", "1", "0", "", ""}},
		{"awsenv-prompt", []string{awsenv, "prompt"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(tc.argv[0], tc.argv[1:]...)
				cmd.Env = env
				out, err := cmd.Output()
				if err != nil {
					b.Fatal(err)
				}
				if tc.name == "awsenv-prompt-hook" && !strings.Contains(string(out), "AWSENV_PROMPT 'project1 59m'") {
					b.Fatalf("unexpected output %q", out)
				}
			}
		})
	}
}
