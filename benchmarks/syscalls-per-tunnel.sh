#!/usr/bin/env bash
# syscalls-per-tunnel.sh - system calls the proxy makes per new CONNECT tunnel, by transport.
# Loopback only; needs nginx, curl and strace.
#
# Usage: sudo benchmarks/syscalls-per-tunnel.sh [-n TUNNELS] JAR[@TRANSPORT]|squid...
# For each argument in turn: starts the jar (proxy.transport: TRANSPORT when given; same policy
# as cpu-per-unit.sh), warms it up with 2 x 4,000 tunnels, then attaches `strace -c -f` to every
# thread of the JVM for TUNNELS (default 1,000) new CONNECT tunnels with a plain GET inside
# (Connection: close), and prints the calls per tunnel by name (whole JVM: event loops, the
# access-log writer, GC; a few idle threads' timed waits too) and in total. The argument `squid`
# measures squid the same way instead (squid -N, one process, no cache, its access log written
# in process as Schoolgate's is; CONNECT allowed to the origin's port).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
N=1000
if [ "${1:-}" = -n ]; then N=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-n TUNNELS] JAR[@TRANSPORT]..." >&2; exit 1; }
ORIGIN_PORT="${ORIGIN_PORT:-18197}"
PORT="${PROXY_PORT:-13180}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
WORK="$(mktemp -d /tmp/schoolgate-syscalls.XXXXXX)"
NGINX_PID="" PID=""
cleanup() {
  stop_process "$PID" TERM
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
require_free_ports syscalls-per-tunnel.sh "$ORIGIN_PORT" "$PORT" "$((PORT + 1))"
mkdir -p "$WORK/www"
chmod 755 "$WORK"
head -c 1024 /dev/urandom > "$WORK/www/1k"
start_nginx "$WORK" "$ORIGIN_PORT" syscalls-per-tunnel.sh
URL="http://127.0.0.1:$ORIGIN_PORT/1k"
for _ in $(seq 1 4000); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done > "$WORK/warm.cfg"
for _ in $(seq 1 "$N"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done > "$WORK/n.cfg"
tunnels() { curl -s --no-progress-meter --parallel --parallel-max 50 -H 'Connection: close' --proxytunnel -x "http://127.0.0.1:$PORT" -K "$1"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_squid() {
  local dir="$WORK/squid"; rm -rf "$dir"; mkdir -p "$dir"; chown proxy:proxy "$dir"
  cat > "$dir/squid.conf" <<SQUID
http_port 127.0.0.1:$PORT
acl bench_clients src 127.0.0.0/8
acl SSL_ports port 443 $ORIGIN_PORT
acl CONNECT method CONNECT
http_access deny CONNECT !SSL_ports
http_access allow bench_clients
http_access deny all
cache deny all
cache_mem 8 MB
access_log stdio:$dir/access.log squid
cache_log $dir/cache.log
cache_store_log none
pid_filename $dir/squid.pid
coredump_dir $dir
cache_effective_user proxy
cache_effective_group proxy
pinger_enable off
icp_port 0
htcp_port 0
shutdown_lifetime 1 seconds
max_filedescriptors 16384
SQUID
  squid -N -f "$dir/squid.conf" > "$dir/out.log" 2>&1 &
  PID=$!
  wait_for_port "$PORT" 60 || { cat "$dir/out.log" "$dir/cache.log" >&2; exit 1; }
}
for arg in "$@"; do
  if [ "$arg" = squid ]; then
    start_squid
  else
  jar="${arg%@*}"; transport=""; [ "$jar" = "$arg" ] || transport="${arg##*@}"
  dir="$WORK/sg"; rm -rf "$dir"; mkdir -p "$dir/lists"
  seq 1 100000 | sed 's/^/site/; s/$/.example/' > "$dir/lists/banned-sites.txt"
  cat > "$dir/policy.yaml" <<POLICY
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
tunnels:
  allowed-ports: [443, $ORIGIN_PORT]
  ip-literal: allow
  not-tls: allow
  missing-sni: allow
POLICY
  write_runtime_config "$dir/schoolgate.yaml" "$PORT" "$((PORT + 1))"
  [ -z "$transport" ] || sed -i "s/^  listen: 127.0.0.1:$PORT\$/&\n  transport: $transport/" "$dir/schoolgate.yaml"
  java -jar "$jar" run --config "$dir/schoolgate.yaml" > "$dir/out.log" 2>&1 &
  PID=$!
  wait_for_port "$PORT" 180 || { cat "$dir/out.log" >&2; exit 1; }
  fi
  tunnels "$WORK/warm.cfg"; tunnels "$WORK/warm.cfg"
  strace -c -f -p "$PID" -o "$WORK/strace.txt" 2>/dev/null &
  STRACE=$!
  sleep 2 # strace attaches to each thread in turn
  tunnels "$WORK/n.cfg"
  kill -INT "$STRACE"; wait "$STRACE" 2>/dev/null || true
  echo "== $(basename "$arg"): system calls per tunnel over $N tunnels"
  awk -v n="$N" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls = $4;
      if (calls ~ /^[0-9]+$/ && name != "total") printf "  %-18s %8.2f\n", name, calls / n }
    $NF == "total" { printf "  %-18s %8.2f\n", "TOTAL", $4 / n }' "$WORK/strace.txt" | sort -k2 -rn
  stop_process "$PID" TERM; PID=""
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
