package testenv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// NPMPackages are what the end-to-end tests run under Node: the AWS SDK for
// JavaScript v3 as an application uses it, and the dotenv readers.
var NPMPackages = []string{
	"@aws-sdk/client-sts@3", "@aws-sdk/credential-providers@3",
	"dotenv@17", "dotenv-expand@12",
}

var npm struct {
	once sync.Once
	dir  string
	err  error
}

// NodeModules returns a directory whose node_modules holds NPMPackages,
// installing them once with npm if they are missing. The directory is
// AWSENV_TEST_NPM_DIR, else awsenv-test/npm in the user's cache folder: it
// outlives the test run, so that only the first run needs the registry.
// Without node or npm the test is skipped (failed under CI=true).
func NodeModules(t testing.TB) string {
	t.Helper()
	LookPath(t, "node")
	npmTool := LookPath(t, "npm")
	npm.once.Do(func() { npm.dir, npm.err = installNPM(npmTool) })
	if npm.err != nil {
		Require(t, "the npm packages "+strings.Join(NPMPackages, " "), npm.err.Error())
	}
	return npm.dir
}

func installNPM(npmTool string) (string, error) {
	dir := os.Getenv("AWSENV_TEST_NPM_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "awsenv-test", "npm")
	}
	if npmInstalled(dir) {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error"}, NPMPackages...)
	cmd := exec.CommandContext(ctx, npmTool, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm %s: %v\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	if !npmInstalled(dir) {
		return "", fmt.Errorf("npm install into %s left packages missing", dir)
	}
	return dir, nil
}

// npmInstalled reports whether every package of NPMPackages is in dir.
func npmInstalled(dir string) bool {
	for _, p := range NPMPackages {
		name := p[:strings.LastIndexByte(p, '@')]
		if _, err := os.Stat(filepath.Join(dir, "node_modules", name, "package.json")); err != nil {
			return false
		}
	}
	return true
}

// TerraformPluginDir returns a local provider mirror (the unpacked layout
// `terraform init -plugin-dir` takes) holding hashicorp/aws: the folder
// AWSENV_TEST_TF_PLUGIN_DIR, else /opt/tf-plugins. Tests must not download
// providers. Without one, or without terraform, the test is skipped with
// the reason, under CI=true too: terraform is not something the test
// command can install (no registry but Go's, Debian's and npm's), and the
// brief asks for it where the machine has it.
func TerraformPluginDir(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skipf("terraform not found: %v (its client test runs where the machine has it)", err)
	}
	dirs := []string{"/opt/tf-plugins"}
	if d := os.Getenv("AWSENV_TEST_TF_PLUGIN_DIR"); d != "" {
		dirs = []string{d}
	}
	for _, d := range dirs {
		if m, _ := filepath.Glob(filepath.Join(d, "registry.terraform.io", "hashicorp", "aws", "*", "*", "terraform-provider-aws*")); len(m) > 0 {
			return d
		}
	}
	t.Skipf("no terraform provider mirror with hashicorp/aws: looked in %s; set AWSENV_TEST_TF_PLUGIN_DIR", strings.Join(dirs, ", "))
	return ""
}

var goClient struct {
	once sync.Once
	path string
	err  error
}

// GoSTSClient builds ./internal/testenv/stsclient once per test binary and
// returns the program's path.
func GoSTSClient(t testing.TB) string {
	t.Helper()
	goTool := LookPath(t, "go")
	goClient.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			goClient.err = err
			return
		}
		dir, err := os.MkdirTemp("", "awsenv-testenv-stsclient-")
		if err != nil {
			goClient.err = err
			return
		}
		goClient.path = filepath.Join(dir, "stsclient")
		cmd := exec.Command(goTool, "build", "-o", goClient.path, "./internal/testenv/stsclient")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			goClient.err = fmt.Errorf("%v\n%s", err, bytes.TrimSpace(out))
		}
	})
	if goClient.err != nil {
		t.Fatalf("building ./internal/testenv/stsclient: %v", goClient.err)
	}
	return goClient.path
}

// godotenvVersion is the godotenv the dotenv tests read files with.
const godotenvVersion = "github.com/joho/godotenv@v1.5.1"

// godotenvMain prints what godotenv reads from the file $1, as JSON.
const godotenvMain = `package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/joho/godotenv"
)

func main() {
	m, err := godotenv.Read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(m)
}
`

var godotenv struct {
	once sync.Once
	path string
	err  error
}

// GodotenvReader builds, once per test binary, a program that prints what
// godotenv (a module of its own, not a dependency of awsenv's) reads from
// the file named by its argument, as a JSON object. The module comes from
// the Go module cache or proxy; without it the test is skipped (failed
// under CI=true).
func GodotenvReader(t testing.TB) string {
	t.Helper()
	goTool := LookPath(t, "go")
	godotenv.once.Do(func() {
		dir, err := os.MkdirTemp("", "awsenv-testenv-godotenv-")
		if err != nil {
			godotenv.err = err
			return
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(godotenvMain), 0o644); err != nil {
			godotenv.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		for _, args := range [][]string{
			{"mod", "init", "godotenvreader"},
			{"get", godotenvVersion},
			{"build", "-o", "godotenvreader", "."},
		} {
			cmd := exec.CommandContext(ctx, goTool, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				godotenv.err = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, bytes.TrimSpace(out))
				return
			}
		}
		godotenv.path = filepath.Join(dir, "godotenvreader")
	})
	if godotenv.err != nil {
		Require(t, godotenvVersion, godotenv.err.Error())
	}
	return godotenv.path
}
