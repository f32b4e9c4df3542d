#!/usr/bin/env bash
# Measures what a person waits for, side by side in one run: the floor (an
# empty Go program built here, the same way), awsenv's commands, and the
# peers (the AWS CLI on the same profile, direnv's prompt hook). Prints a
# markdown table of medians and each target; exits non-zero when a target
# is missed.
#
#   ./scripts/bench.sh                    # about two minutes
#   RUNS=100 ROUNDS=5 ./scripts/bench.sh  # runs per command and round
#
# Needs hyperfine, GNU time, moto_server and the AWS CLI (and direnv, which
# it names as missing if absent); STS is moto on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-200}
ROUNDS=${ROUNDS:-3}

for tool in hyperfine /usr/bin/time moto_server python3 aws go; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install hyperfine time)" >&2; exit 1; }
done

work=$(mktemp -d)
moto_pid=
cleanup() { [ -z "$moto_pid" ] || kill "$moto_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

export CGO_ENABLED=0
go build -o "$work/bin/awsenv" ./cmd/awsenv
mkdir -p "$work/empty"
printf 'package main\n\nfunc main() {}\n' >"$work/empty/main.go"
(cd "$work/empty" && go mod init empty >/dev/null 2>&1 && go build -o "$work/bin/empty" .)

# A user: a role profile behind static keys, STS at moto; and the same
# user with an SSO-sized config of 10,000 role profiles.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
export HOME="$work/home" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$port" AWSENV_SHELL=bash
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN XDG_CACHE_HOME AWS_CONFIG_FILE
mkdir -p "$HOME/.aws" "$work/nodir"
cat >"$HOME/.aws/credentials" <<'INI'
[user1]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
INI
cat >"$HOME/.aws/config" <<'INI'
[profile project1]
role_arn = arn:aws:iam::123456789012:role/Prod-Role
source_profile = user1
region = eu-west-1
INI
big="$work/config-10000"
python3 - "$HOME/.aws/config" "$big" <<'PY'
import sys
head = open(sys.argv[1]).read()
with open(sys.argv[2], "w") as f:
    f.write(head)
    for i in range(10000):
        f.write(f"\n[profile account-{i:05d}-AdministratorAccess]\nrole_arn = arn:aws:iam::{100000000000 + i}:role/AdministratorAccess\nsource_profile = user1\nregion = eu-west-1\n")
PY
for _ in $(seq 100); do curl -fs "$AWS_ENDPOINT_URL_STS/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done

awsenv="$work/bin/awsenv"
"$awsenv" use project1 >"$work/use.sh" # fills the cache: later runs are hits
# The state a prompt sees: what `use` exported.
set -a; . "$work/use.sh"; set +a

peers=()
if command -v direnv >/dev/null; then
  # direnv's hook runs `direnv export` at every prompt; here in a folder
  # without .envrc, its cheapest case.
  peers=(-n "direnv export bash (direnv's per-prompt hook)" "sh -c 'cd $work/nodir && exec direnv export bash'")
else
  echo "bench: direnv is not installed: its per-prompt cost is not measured (apt-get install direnv)" >&2
fi

# Load on a shared machine drifts over a minute; each round measures the
# floor next to the commands, and the table takes the median over rounds
# of each command's ratio to the floor of its own round.
for round in $(seq "$ROUNDS"); do
  hyperfine -N --style none --warmup 20 --runs "$RUNS" --export-json "$work/fast-$round.json" \
    -n "empty Go program (floor)" "$work/bin/empty" \
    -n "awsenv use project1 (cached)" "$awsenv use project1" \
    -n "awsenv prompt" "$awsenv prompt" \
    -n "awsenv hook bash" "$awsenv hook bash" \
    -n "awsenv hook zsh" "$awsenv hook zsh" \
    -n "awsenv hook fish" "$awsenv hook fish" \
    -n "10,000 profiles: awsenv use project1 (cached)" "env AWS_CONFIG_FILE=$big $awsenv use project1" \
    -n "10,000 profiles: Tab (awsenv __complete-profiles)" "env AWS_CONFIG_FILE=$big $awsenv __complete-profiles" \
    -n "10,000 profiles: awsenv list" "env AWS_CONFIG_FILE=$big $awsenv list" \
    "${peers[@]}" >/dev/null
done
hyperfine -N --style none --warmup 2 --runs 20 --export-json "$work/cli.json" \
  -n "aws sts get-caller-identity --profile project1 (AWS CLI v1, cached role)" "aws sts get-caller-identity --profile project1" >/dev/null

# The per-prompt cost inside the shell: no process is started, so it is
# measured in the shell's own loop (go test -bench).
go test -run '^$' -bench 'BenchmarkPromptHook/(bash|zsh)$' -benchtime 2000x ./internal/shell >"$work/prompt-bench.txt"

rss() { # peak RSS in MiB over 20 runs
  local max=0 kb
  for _ in $(seq 20); do
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    [ "$kb" -gt "$max" ] && max=$kb
  done
  echo $((max / 1024))
}
{
  echo "empty Go program (floor)=$(rss "$work/bin/empty")"
  echo "awsenv use project1 (cached)=$(rss "$awsenv" use project1)"
  echo "awsenv prompt=$(rss "$awsenv" prompt)"
  echo "10,000 profiles: awsenv list=$(rss env AWS_CONFIG_FILE="$big" "$awsenv" list)"
} >"$work/rss.txt"

python3 - "$work/cli.json" "$work/rss.txt" "$work/prompt-bench.txt" "$work"/fast-*.json <<'PY'
import json, sys, platform, os, statistics, re
cli = json.load(open(sys.argv[1]))["results"][0]
rss = dict(l.strip().split("=", 1) for l in open(sys.argv[2]) if "=" in l)
prompt = {}
for line in open(sys.argv[3]):
    m = re.match(r"BenchmarkPromptHook/(\w+)-\d+\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        prompt[m.group(1)] = float(m.group(2)) / 1000
rounds = [json.load(open(p))["results"] for p in sys.argv[4:]]
names = [r["command"] for r in rounds[0]]
med = {n: statistics.median(next(r["median"] for r in rd if r["command"] == n) for rd in rounds) for n in names}
ratio = {n: statistics.median(next(r["median"] for r in rd if r["command"] == n) / rd[0]["median"] for rd in rounds) for n in names}
floor = med[names[0]]
ms = lambda s: s * 1000
# name -> (limit in ms, limit as a multiple of the floor)
targets = {
    "awsenv use project1 (cached)": (10, 5),
    "awsenv prompt": (10, 5),
    "awsenv hook bash": (10, 5),
    "awsenv hook zsh": (10, 5),
    "awsenv hook fish": (10, 5),
    "10,000 profiles: awsenv use project1 (cached)": (15, None),
    "10,000 profiles: Tab (awsenv __complete-profiles)": (15, None),
    "10,000 profiles: awsenv list": (50, None),
}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {len(rounds)} rounds")
print()
print("| command | median | x floor | target | peak RSS |")
print("|---|---:|---:|---|---:|")
ok = True
def row(name, m, x, verdict):
    mem = rss.get(name, "")
    print(f"| {name} | {ms(m):.2f} ms | {x:.2f} | {verdict} | {mem + ' MiB' if mem else ''} |")
for n in names:
    verdict = ""
    if n in targets:
        limit, times = targets[n]
        passed = ms(med[n]) < limit and (times is None or ratio[n] <= times)
        ok &= passed
        verdict = f"< {limit} ms" + (f", <= {times}x" if times else "") + (" ok" if passed else " MISSED")
    row(n, med[n], ratio[n], verdict)
use = med["awsenv use project1 (cached)"]
faster = cli["median"] / use
passed = faster >= 50
ok &= passed
row(cli["command"], cli["median"], cli["median"] / floor, f"awsenv use is {faster:.0f}x faster; >= 50x {'ok' if passed else 'MISSED'}")
print()
print("| per prompt, fresh credentials, inside the shell | time | target |")
print("|---|---:|---|")
for sh in ("bash", "zsh"):
    if sh in prompt:
        passed = prompt[sh] < 50
        ok &= passed
        print(f"| {sh} hook (no process started) | {prompt[sh]:.1f} µs | < 50 µs {'ok' if passed else 'MISSED'} |")
sys.exit(0 if ok else 1)
PY
