#!/usr/bin/env bash
# Installs awsenv, then runs it. CGO_ENABLED=0 links it statically: with
# cgo, start-up pays for the dynamic loader at every use.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
CGO_ENABLED=0 go install -ldflags "-X github.com/awsenv/awsenv/internal/cli.Version=$version" ./cmd/awsenv
bin=$(go env GOBIN)
[ -n "$bin" ] || bin="$(go env GOPATH)/bin"
"$bin/awsenv" version
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "Add $bin to your PATH, e.g.: export PATH=\"$bin:\$PATH\"" >&2 ;;
esac
echo "Next: eval \"\$(awsenv use PROFILE)\", or install the shell hook (README, 'awsenv hook')." >&2
