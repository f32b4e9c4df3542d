#!/usr/bin/env bash
# Runs every test awsenv has: static checks, a build for every OS, each fuzz
# target for a bounded number of runs, unit and end-to-end tests (real bash,
# zsh, fish and tmux, moto_server, and the real clients: the AWS CLI, boto3,
# the AWS SDKs for JavaScript and Go, terraform). It first installs the
# shells and tools the end-to-end tests drive, with apt-get, when it may (as
# root, or with sudo that needs no password); otherwise those tests skip
# and say why. With CI=true (what .ci/run sets) a missing one fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0

step() { printf '\n== %s\n' "$*"; }

step "tools the end-to-end tests drive"
# The Go tool needs a HOME for its caches.
if [ -z "${HOME:-}" ]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME
fi
# Without a login shell (CI), put where this machine keeps Go, moto_server,
# the AWS CLI and the python3 that has botocore (pyenv's shims) in PATH, as
# the shell's rc file would.
for dir in /usr/local/bin "$HOME/.pyenv/bin" "$HOME/.pyenv/shims" "$HOME/go/bin" /usr/local/go/bin; do
  if [ -d "$dir" ]; then
    case ":$PATH:" in *":$dir:"*) ;; *) PATH="$dir:$PATH" ;; esac
  fi
done
export PATH
missing=()
for tool in zsh fish tmux script node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=()
  for tool in "${missing[@]}"; do
    case $tool in script) pkgs+=(bsdutils) ;; node) pkgs+=(nodejs) ;; *) pkgs+=("$tool") ;; esac
  done
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    echo "installing ${pkgs[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
  else
    echo "missing ${missing[*]} and no apt-get to install them with: their end-to-end tests will skip and say so" >&2
  fi
fi
# The real-client tests install the AWS SDK for JavaScript and the dotenv
# readers (testenv.NPMPackages) with npm once into this folder, which
# outlives the run, so that later runs need no registry. terraform's AWS
# provider comes from a local mirror (AWSENV_TEST_TF_PLUGIN_DIR, else
# /opt/tf-plugins), never from the registry.
export AWSENV_TEST_NPM_DIR="${AWSENV_TEST_NPM_DIR:-$HOME/.cache/awsenv-test/npm}"
mkdir -p "$AWSENV_TEST_NPM_DIR"
echo "ok"

step "go vet (linux, darwin, windows)"
for goos in linux darwin windows; do
  GOOS=$goos go vet ./...
done

step "staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

step "cross-compile (linux, darwin, windows)"
for goos in linux darwin windows; do
  for goarch in amd64 arm64; do
    GOOS=$goos GOARCH=$goarch go build -o /dev/null ./cmd/awsenv
  done
done

# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" when a loaded machine
# starves a worker at the deadline (golang/go#75804, fixed in Go 1.27).
# 100000 runs take 1 to 20 seconds per target here.
step "fuzz targets, ${FUZZTIME:=100000x} each"
fuzzlog=$(mktemp)
trap 'rm -f "$fuzzlog"' EXIT
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "$pkg $target"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >"$fuzzlog" 2>&1; then
      tail -n 40 "$fuzzlog" >&2
      exit 1
    fi
  done
done

step "unit and end-to-end tests"
# -v so that skipped tests say why; the log is long, so what is shown is
# each package's result, failures and skips with their messages.
testlog=$(mktemp)
trap 'rm -f "$fuzzlog" "$testlog"' EXIT
status=0
go test -count=1 -v ./... >"$testlog" 2>&1 || status=$?
grep -E '^(ok|FAIL|panic:)|--- (FAIL|SKIP)|^ +[A-Za-z0-9_]+\.go:[0-9]+: ' "$testlog" || true
if [ "$status" -ne 0 ]; then
  echo "go test failed; the last lines of its output:" >&2
  tail -n 150 "$testlog" >&2
fi
exit "$status"
