#!/usr/bin/env bash
# peers.sh - Schoolgate beside squid, e2guardian and tinyproxy with ../shared/peers/bench.sh,
# as a *filtering* proxy: Schoolgate loads the same 100,000-name banned list the harness gives
# e2guardian (site1.example ... site100000.example) as an 'unacceptable' category, so the
# harness's blocked-site checks and the blocked_1k scenario apply to it too.
#
# Usage: sudo benchmarks/peers.sh [run|check] [bench.sh options...]   e.g. --quick, or check --peers none
# Expects deploy/target/schoolgate.jar (./mvnw -q -DskipTests package). Loopback only.
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
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
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
write_runtime_config "$WORK/schoolgate.yaml" "$PROXY_PORT" "$ADMIN_PORT"

java ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/schoolgate.yaml" > "$WORK/schoolgate.out" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  grep -q "Schoolgate is running" "$WORK/schoolgate.out" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/schoolgate.out" >&2; exit 1; }
  sleep 0.2
done
grep -q "Schoolgate is running" "$WORK/schoolgate.out" || { cat "$WORK/schoolgate.out" >&2; exit 1; }

# bench.sh takes its command (run, check) first.
COMMAND=()
case "${1:-}" in run|check) COMMAND=("$1"); shift ;; esac
"$BENCH" "${COMMAND[@]}" --filter-proxy "schoolgate=127.0.0.1:$PROXY_PORT" "$@"
