#!/usr/bin/env bash
# Runs every test awsenv has: static checks, a build for every OS, unit and
# end-to-end tests (real bash, zsh, fish, tmux, moto_server, and real clients:
# the AWS CLI, boto3, the JavaScript and Go SDKs, terraform, the dotenv
# readers), and each fuzz target for a bounded number of runs. With CI=true, a
# missing shell, moto_server or client fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0

step() { printf '\n== %s\n' "$*"; }

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
