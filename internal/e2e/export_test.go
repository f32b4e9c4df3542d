package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/testenv"
)

// dotenvSecret holds every character the dotenv format allows besides
// letters and digits, where readers are most likely to differ: at the
// start, twice, and at the end.
const dotenvSecret = "=" + creds.DotenvChars + "wJalrXUtnFEMI/K7MDENG+bPxRfiCY==" + creds.DotenvChars

// dotenvReaders read the env file named by $1 and print what they read as
// JSON, or NAME=value NUL-separated for the shells.
var dotenvReaders = []struct {
	name   string
	argv   func(t *testing.T) []string
	env    func(t *testing.T) []string
	format string // "json" or "env0"
}{
	{"npm dotenv", func(*testing.T) []string {
		return []string{"node", "-e", `const fs = require("fs"); console.log(JSON.stringify(require("dotenv").parse(fs.readFileSync(process.argv[1]))));`}
	}, npmEnv, "json"},
	{"npm dotenv-expand", func(*testing.T) []string {
		return []string{"node", "-e", `const fs = require("fs");
const parsed = require("dotenv").parse(fs.readFileSync(process.argv[1]));
console.log(JSON.stringify(require("dotenv-expand").expand({ parsed, processEnv: {} }).parsed));`}
	}, npmEnv, "json"},
	{"python-dotenv", func(t *testing.T) []string {
		py := requirePython(t, "dotenv")
		return []string{py, "-c", `import json, sys, dotenv; print(json.dumps(dotenv.dotenv_values(sys.argv[1])))`}
	}, nil, "json"},
	{"godotenv", func(t *testing.T) []string {
		return []string{testenv.GodotenvReader(t)}
	}, nil, "json"},
	{"sh -a", func(t *testing.T) []string {
		return []string{testenv.LookPath(t, "sh"), "-c", `set -a; . "$1"; set +a; exec env -0`, "sh"}
	}, nil, "env0"},
	{"bash -a", func(t *testing.T) []string {
		return []string{testenv.Shell(t, "bash"), "--norc", "--noprofile", "-c", `set -a; . "$1"; set +a; exec env -0`, "bash"}
	}, nil, "env0"},
}

func npmEnv(t *testing.T) []string {
	return []string{"NODE_PATH=" + filepath.Join(testenv.NodeModules(t), "node_modules")}
}

// What --format dotenv writes, every reader reads back byte for byte: for
// what STS hands out, and for the edges of what the format allows. (docker
// --env-file, which takes each value literally, is not installed here; the
// format is unquoted and escape-free so that it reads the same.)
func TestExportDotenvReaders(t *testing.T) {
	moto := testenv.StartMoto(t)
	cr := baseCredentials + "\n[edges]\naws_access_key_id = AKIAEDGESEXAMPLE0000\naws_secret_access_key = " + dotenvSecret + "\n"
	cfg := baseConfig + "\n[profile edges]\nregion = us-east-1\n"
	f := newFixture(t, cfg, cr, moto.URL())
	for _, profile := range []string{"project1", "edges"} {
		out, stderr, code := f.awsenv(f.env, "export", profile, "--format", "json")
		var want map[string]string
		if code != 0 || json.Unmarshal([]byte(out), &want) != nil {
			t.Fatalf("export %s --format json: exit %d %q %s", profile, code, out, stderr)
		}
		file := filepath.Join(t.TempDir(), ".env")
		dotenv, stderr, code := f.awsenv(f.env, "export", profile, "--format", "dotenv")
		if code != 0 {
			t.Fatalf("export %s --format dotenv: exit %d %s", profile, code, stderr)
		}
		testenv.WriteFile(t, file, dotenv, 0o600)
		for _, r := range dotenvReaders {
			t.Run(profile+"/"+r.name, func(t *testing.T) {
				argv := r.argv(t)
				var env []string
				if r.env != nil {
					env = r.env(t)
				}
				out, stderr, code := runClient(t, f, append(testenv.CleanEnv(f.home), env...), append(argv, file))
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				got := map[string]string{}
				if r.format == "json" {
					if err := json.Unmarshal([]byte(out), &got); err != nil {
						t.Fatalf("%q: %v", out, err)
					}
				} else {
					got = parseEnv(out)
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s read %s as %q, want %q", r.name, k, got[k], v)
					}
				}
				if r.format == "json" && len(got) != len(want) {
					t.Errorf("%s read %d variables, want %d: %v", r.name, len(got), len(want), keysOf(got))
				}
			})
		}
	}
}

// What a format cannot carry is refused, with nothing on stdout and an
// error that names the variable but not the secret.
func TestExportRefuses(t *testing.T) {
	long := strings.Repeat("A", creds.MaxEnvString)
	cr := baseCredentials + "\n[latin1]\naws_access_key_id = AKIALATIN1EXAMPLE000\naws_secret_access_key = caf\xe9-secret\n" +
		"\n[long]\naws_access_key_id = AKIALONGEXAMPLE00000\naws_secret_access_key = " + long + "\n"
	f := newFixture(t, baseConfig, cr, "")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"dotenv, hostile", []string{"export", "static", "--format", "dotenv"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "--format json"}},
		{"json, not UTF-8", []string{"export", "latin1", "--format", "json"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "UTF-8"}},
		{"process, not UTF-8", []string{"export", "latin1", "--format", "process"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "UTF-8"}},
		{"use, too long", []string{"use", "long", "--shell", "bash"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "Argument list too long"}},
		{"exec, too long", []string{"exec", "long", "--", "true"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "Argument list too long"}},
		{"env, too long", []string{"export", "long", "--format", "env"}, 1, []string{"AWS_SECRET_ACCESS_KEY", "Argument list too long"}},
		{"use, negative duration", []string{"use", "static", "--duration=-1h", "--shell", "bash"}, 2, []string{"--duration", "negative"}},
		{"exec, negative duration", []string{"exec", "--duration=-5m", "static", "--", "true"}, 2, []string{"--duration", "negative"}},
		{"export, negative duration", []string{"export", "static", "--duration=-1s", "--format", "process"}, 2, []string{"--duration", "negative"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := f.awsenv(f.env, tc.args...)
			if out != "" || code != tc.code {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, tc.code)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q: %s", s, stderr)
				}
			}
			for _, secret := range []string{"quoted", "secret", "AAAAAAAA"} {
				if strings.Contains(stderr, secret) {
					t.Errorf("stderr shows the secret (%q): %s", secret, stderr)
				}
			}
		})
	}
	// The limit is the kernel's: the longest variable awsenv hands out
	// still lets a command start, one byte more would not.
	if runtime.GOOS == "linux" {
		n := strconv.Itoa(creds.MaxEnvString - len("X=") - 1)
		out, _ := exec.Command(testenv.Shell(t, "bash"), "-c", `X=$(head -c `+n+` /dev/zero | tr '\0' A); export X; /bin/true && echo fits; X=${X}A; /bin/true`).CombinedOutput()
		if !strings.HasPrefix(string(out), "fits\n") || !strings.Contains(string(out), "Argument list too long") {
			t.Errorf("a variable of MaxEnvString bytes (NUL included) starts a command, one byte more does not: %q", out)
		}
	}
}
