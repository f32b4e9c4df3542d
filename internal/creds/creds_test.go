package creds

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/shell/shelltest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	temporary = Credentials{
		AccessKeyID:     "ASIAEXAMPLEEXAMPLE01",
		SecretAccessKey: `it's "q" \b $x ` + "`id`" + " ünï 🔑 ‘’‚‛\nline2",
		SessionToken:    "FQoGZXIvYXdzEBYaDK5Y36dAY0CoGzYf0FIY+/=",
		Expires:         time.Date(2026, 11, 25, 20, 40, 15, 0, time.UTC),
		Region:          "eu-west-1",
		Profile:         "project1",
	}
	longTerm = Credentials{AccessKeyID: "AKIAEXAMPLEEXAMPLE01", SecretAccessKey: "s", Profile: "user1"}
)

// The golden files are what users' shells evaluate; the Apply check reads
// each one back strictly, so a golden file cannot hold a quoting mistake.
// PowerShell cannot run here: this is its test.
func TestGoldenScripts(t *testing.T) {
	apply := map[string]func(string, map[string]string) error{
		"bash": shelltest.ApplyPOSIX, "fish": shelltest.ApplyFish, "pwsh": shelltest.ApplyPwsh,
	}
	cases := map[string][]shell.Change{
		"use-temporary": temporary.Changes(),
		"use-longterm":  longTerm.Changes(),
		"clear":         ClearChanges(false),
		"clear-all":     ClearChanges(true),
	}
	for name, changes := range cases {
		for shName, applyFn := range apply {
			sh, _ := shell.Lookup(shName)
			got, err := shell.Render(sh, changes)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+"."+shName)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/creds -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (rerun with -update if intended):\n%s", golden, got)
			}
			env := map[string]string{"AWS_SECURITY_TOKEN": "stale", "AWS_DEFAULT_PROFILE": "x", "AWS_VAULT": "v", "AWS_SESSION_TOKEN": "stale"}
			if err := applyFn(got, env); err != nil {
				t.Fatalf("%s: %v", golden, err)
			}
			checkApplied(t, golden, name, env)
		}
	}
}

func checkApplied(t *testing.T, golden, name string, env map[string]string) {
	t.Helper()
	switch name {
	case "use-temporary":
		if env[SecretAccessKey] != temporary.SecretAccessKey || env[CredentialExpiration] != "2026-11-25T20:40:15Z" || env[Profile] != "project1" {
			t.Errorf("%s applied: %q", golden, env)
		}
	case "use-longterm":
		if _, ok := env[SessionToken]; ok {
			t.Errorf("%s keeps a session token", golden)
		}
	case "clear", "clear-all":
		if _, ok := env[SessionToken]; ok {
			t.Errorf("%s keeps a session token", golden)
		}
		if _, ok := env["AWS_VAULT"]; ok == (name == "clear-all") {
			t.Errorf("%s: AWS_VAULT set = %v", golden, ok)
		}
	}
	if _, ok := env[SecurityToken]; ok {
		t.Errorf("%s keeps AWS_SECURITY_TOKEN", golden)
	}
}

func TestFormats(t *testing.T) {
	out, err := temporary.Format("process")
	var p map[string]any
	if err != nil || json.Unmarshal([]byte(out), &p) != nil || p["Version"] != 1.0 || p["Expiration"] != "2026-11-25T20:40:15Z" || p["SessionToken"] == nil {
		t.Errorf("process: %s %v", out, err)
	}
	out, _ = longTerm.Format("process")
	if strings.Contains(out, "Expiration") || strings.Contains(out, "SessionToken") {
		t.Errorf("process format of long-term keys: %s", out)
	}
	out, err = temporary.Format("dotenv")
	if err != nil || !strings.Contains(out, `AWS_SECRET_ACCESS_KEY="it's \"q\" \\b \$x `) || !strings.Contains(out, `\nline2"`) {
		t.Errorf("dotenv: %s %v", out, err)
	}
	if _, err := temporary.Format("env"); err == nil {
		t.Error("env format accepted a line break")
	}
	if _, err := temporary.Format("yaml"); err == nil {
		t.Error("unknown format accepted")
	}
}
