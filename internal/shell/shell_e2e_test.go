package shell

import (
	"fmt"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/testenv"
)

// TestRealShells evaluates rendered statements in real bash, zsh and fish
// and reads the exported environment back with env -0, so every byte is
// checked by the shell's own parser and export.
func TestRealShells(t *testing.T) {
	values := append(append([]string{}, hostile...), "bytes \xff\xfe\x80 not UTF-8")
	for _, name := range []string{"bash", "zsh", "fish"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := testenv.Shell(t, name)
			sh, _ := Lookup(name)
			var changes []Change
			for i, v := range values {
				changes = append(changes, Set(fmt.Sprintf("AWSENV_T%d", i), v))
			}
			changes = append(changes, Unset("AWSENV_NEVER_SET"), Set("AWSENV_GONE", "x"), Unset("AWSENV_GONE"))
			script, err := Render(sh, changes)
			if err != nil {
				t.Fatal(err)
			}
			// The status after the statements must be 0, so that
			// `awsenv use p | source; and aws ...` goes on.
			status := "$?"
			if name == "fish" {
				status = "$status"
			}
			script += "echo status=" + status + "\nenv -0\n"
			stdout, stderr, code := testenv.RunShell(t, path, script, testenv.CleanEnv(t.TempDir()))
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			first, envs, _ := strings.Cut(stdout, "\n")
			if first != "status=0" {
				t.Errorf("status after the statements: %q", first)
			}
			got := map[string]string{}
			for _, kv := range strings.Split(envs, "\x00") {
				if k, v, ok := strings.Cut(kv, "="); ok {
					got[k] = v
				}
			}
			for i, v := range values {
				k := fmt.Sprintf("AWSENV_T%d", i)
				if got[k] != v {
					t.Errorf("%s: exported %q, read back %q", k, v, got[k])
				}
			}
			if _, ok := got["AWSENV_GONE"]; ok {
				t.Error("AWSENV_GONE still set after unset")
			}
		})
	}
}
