#!/usr/bin/env bash
# idle-connections.sh - can Schoolgate hold 10,000 idle keep-alive client connections in a small
# heap while another client still gets http_1k at (nearly) its unloaded rate? Loopback only.
#
# Usage: sudo benchmarks/idle-connections.sh [N]   (default 10000; needs nginx and wrk, which
# ../shared/peers/bench.sh installs, and deploy/target/schoolgate.jar)
# Starts an nginx origin (1 KiB file) and the jar with -Xmx256m (HEAP to change); warms up with
# wrk for 15 s; measures http_1k with wrk (50 connections, 10 s) before and while N other
# connections are held idle (each made one request first), then the heap after a full GC.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
N="${1:-10000}"
JAR="${SCHOOLGATE_JAR:-$ROOT/deploy/target/schoolgate.jar}"
HEAP="${HEAP:-256m}"
ORIGIN_PORT="${ORIGIN_PORT:-18190}"
PROXY_PORT="${PROXY_PORT:-13160}"
ADMIN_PORT="${ADMIN_PORT:-13161}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
WRK="$(command -v wrk)"
require_free_ports idle-connections.sh "$ORIGIN_PORT" "$PROXY_PORT" "$ADMIN_PORT"
WORK="$(mktemp -d /tmp/schoolgate-idle.XXXXXX)"
NGINX_PID="" PID="" HOLDER=""
cleanup() {
  [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null || true
  stop_process "$PID" TERM
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((N + 1000)) ] || { echo "idle-connections.sh: open-file limit $(ulimit -n) is too low for $N connections (raise the hard limit)" >&2; exit 1; }

mkdir -p "$WORK/www" "$WORK/sg"
chmod 755 "$WORK" # mktemp makes it 700: nginx's workers (nobody) would answer every GET with 403
head -c 1024 /dev/urandom > "$WORK/www/1k"
start_nginx "$WORK" "$ORIGIN_PORT" idle-connections.sh
cat > "$WORK/sg/policy.yaml" <<POLICY
clients:
  allow: [127.0.0.0/8]
groups:
  pupils: { subnets: [127.0.0.0/8] }
default: acceptable
POLICY
write_runtime_config "$WORK/sg/schoolgate.yaml" "$PROXY_PORT" "$ADMIN_PORT"
java "-Xmx$HEAP" -jar "$JAR" run --config "$WORK/sg/schoolgate.yaml" > "$WORK/sg/out.log" 2>&1 &
PID=$!
wait_for_port "$PROXY_PORT" 120 || { cat "$WORK/sg/out.log" >&2; exit 1; }

URL="http://127.0.0.1:$ORIGIN_PORT/1k"
export SCHOOLGATE_TARGET="$URL" SCHOOLGATE_TARGET_HOST="127.0.0.1:$ORIGIN_PORT"
measure() {
  "$WRK" -t1 -c50 -d"$1"s -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT" \
    | awk '/Requests\/sec/ {print $2}'
}
measure 15 > /dev/null
before=$(measure 10)
exec 3> >(python3 "$HERE/lib/hold_connections.py" "$PROXY_PORT" "$N" "$URL" > "$WORK/holder.out")
HOLDER=$!
for _ in $(seq 1 600); do grep -q holding "$WORK/holder.out" 2>/dev/null && break; sleep 0.5; done
grep -q holding "$WORK/holder.out" || { echo "idle-connections.sh: could not open $N connections" >&2; exit 1; }
open=$(ss -Htn state established "( sport = :$PROXY_PORT )" | wc -l)
during=$(measure 10)
jcmd "$PID" GC.run > /dev/null
heap=$(jcmd "$PID" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i <= NF; i++) if ($i == "used") print $(i + 1)}')
exec 3>&-
printf 'idle connections held: %s (proxy-side established: %s), heap limit -Xmx%s\n' "$N" "$open" "$HEAP"
printf 'http_1k req/s unloaded: %s, with %s idle connections: %s (ratio %s)\n' "$before" "$N" "$during" \
  "$(awk -v a="$during" -v b="$before" 'BEGIN { printf "%.2f", a / b }')"
printf 'heap used after a full GC with the connections held: %s\n' "$heap"
