#!/usr/bin/env bash
# peers.sh - Schoolgate beside squid, e2guardian and tinyproxy with ../shared/peers/bench.sh,
# as a *filtering* proxy: Schoolgate loads the same 100,000-name banned list the harness gives
# e2guardian (site1.example ... site100000.example) as an 'unacceptable' category, so the
# harness's blocked-site checks and the blocked_1k scenario apply to it too.
#
# Usage: sudo benchmarks/peers.sh [run|check] [bench.sh options...]   e.g. --quick, or check --peers none
# Expects deploy/target/schoolgate.jar (./mvnw -q -DskipTests package). Loopback only.
# Side by side: BEFORE_JAR=/path/to/other/schoolgate.jar also starts that jar with the same policy
# (on PROXY_PORT+1) and measures it as "schoolgate-before" in the same run. JAVA_OPTS (and
# BEFORE_JAVA_OPTS) are passed to the JVMs, e.g. to record a JFR profile. TRANSPORT (and
# BEFORE_TRANSPORT) set proxy.transport (auto, epoll, io_uring, nio); BEFORE_JAR may be the same
# jar, e.g. TRANSPORT=io_uring BEFORE_TRANSPORT=epoll BEFORE_JAR=deploy/target/schoolgate.jar.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
JAR="${SCHOOLGATE_JAR:-$ROOT/deploy/target/schoolgate.jar}"
BENCH="${BENCH_SH:-$ROOT/../shared/peers/bench.sh}"
PROXY_PORT="${PROXY_PORT:-13139}"
ADMIN_PORT="${ADMIN_PORT:-18189}"
export BENCH_RUN_DIR="${BENCH_RUN_DIR:-$HERE/target/peers/run}"
export BENCH_RESULTS_DIR="${BENCH_RESULTS_DIR:-$HERE/target/peers/results}"

[ -f "$JAR" ] || { echo "peers.sh: $JAR not found (expected: ./mvnw -q -DskipTests package first)" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "peers.sh: $BENCH not found (expected: the shared folder beside the project)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/schoolgate-peers.XXXXXX)"
PID=""
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null || true; fi
  done
  if [ -n "${KEEP_WORK:-}" ]; then echo "peers.sh: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# The same list the harness writes to $BENCH_RUN_DIR/lists/banned-sites.txt.
mkdir -p "$WORK/lists"
seq 1 100000 | sed 's/^/site/; s/$/.example/' > "$WORK/lists/banned-sites.txt"
cat > "$WORK/policy.yaml" <<POLICY
# Benchmark policy: loopback clients are pupils; the harness's banned list is unacceptable.
timezone: Europe/London
clients:
  allow: [127.0.0.0/8]
groups:
  pupils: { subnets: [127.0.0.0/8] }
categories:
  banned: { files: [lists/banned-sites.txt] }
matrix:
  banned: { default: unacceptable }
default: acceptable
# The harness tunnels to its origin by IP address on ports 18080/18443, and sends plain HTTP
# through some tunnels: open those, keep the ClientHello inspection on every tunnel.
tunnels:
  allowed-ports: [443, 18080, 18443]
  ip-literal: allow
  not-tls: allow
  missing-sni: allow
POLICY
# UT1_DIR=/path/to/ut1/blacklists gives the first jar ("schoolgate") a pupil policy over the
# whole UT1 collection as well (every UT1 category a category of its own: the harmful ones
# unacceptable for pupils, the rest acceptable; domains, urls and expressions all loaded), beside
# the same banned list, while BEFORE_JAR keeps the banned list alone: issue 12's "all of UT1 within
# 5 % of the banned-list run" is then SCHOOLGATE_JAR=X BEFORE_JAR=X UT1_DIR=... in one run.
if [ -n "${UT1_DIR:-}" ]; then
  write_ut1_policy "$WORK/policy.yaml" "$UT1_DIR" "$WORK/policy-ut1.yaml"
fi
# start_jar NAME JAR PORT ADMIN_PORT OPTS [TRANSPORT]: runs JAR in $WORK/NAME with the policy
# above (and proxy.transport: TRANSPORT when given); sets LAST_PID.
PIDS=()
start_jar() {
  local name=$1 jar=$2 port=$3 admin=$4 opts=$5 transport=${6:-} dir="$WORK/$1"
  mkdir -p "$dir"
  cp -r "$WORK/lists" "$WORK/policy.yaml" "$dir/"
  if [ "$name" = schoolgate ] && [ -n "${UT1_DIR:-}" ]; then cp "$WORK/policy-ut1.yaml" "$dir/policy.yaml"; fi
  write_runtime_config "$dir/schoolgate.yaml" "$port" "$admin"
  [ -z "$transport" ] || sed -i "s/^  listen: 127.0.0.1:$port\$/&\n  transport: $transport/" "$dir/schoolgate.yaml"
  # shellcheck disable=SC2086
  java $opts -jar "$jar" run --config "$dir/schoolgate.yaml" > "$dir/schoolgate.out" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  for _ in $(seq 1 600); do # up to 2 minutes: a busy machine starts the JVM slowly
    grep -q "Schoolgate is running" "$dir/schoolgate.out" 2>/dev/null && return 0
    kill -0 "$LAST_PID" 2>/dev/null || { cat "$dir/schoolgate.out" >&2; exit 1; }
    sleep 0.2
  done
  cat "$dir/schoolgate.out" >&2
  exit 1
}

start_jar schoolgate "$JAR" "$PROXY_PORT" "$ADMIN_PORT" "${JAVA_OPTS:-}" "${TRANSPORT:-}"
PID=$LAST_PID
TARGETS=(--filter-proxy "schoolgate=127.0.0.1:$PROXY_PORT")
if [ -n "${BEFORE_JAR:-}" ]; then
  start_jar schoolgate-before "$BEFORE_JAR" "$((PROXY_PORT + 1))" "$((ADMIN_PORT + 1))" \
    "${BEFORE_JAVA_OPTS:-}" "${BEFORE_TRANSPORT:-}"
  TARGETS+=(--filter-proxy "schoolgate-before=127.0.0.1:$((PROXY_PORT + 1))")
fi

# bench.sh takes its command (run, check) first.
COMMAND=()
case "${1:-}" in run|check) COMMAND=("$1"); shift ;; esac
"$BENCH" "${COMMAND[@]}" "${TARGETS[@]}" "$@"
