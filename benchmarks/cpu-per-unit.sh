#!/usr/bin/env bash
# cpu-per-unit.sh - proxy CPU time per unit of work for two or more jars side by side: the
# number that still means something on a shared, saturated machine, where throughput mostly
# measures what the other users left over. Loopback only; needs nginx, wrk and curl.
#
# Usage: sudo benchmarks/cpu-per-unit.sh [-r ROUNDS] JAR[@TRANSPORT]...
# (JAR@io_uring runs that jar with proxy.transport: io_uring; the same jar may be named twice,
# e.g. schoolgate.jar@epoll schoolgate.jar@io_uring. JAR+ut1 or JAR@TRANSPORT+ut1 gives that jar
# the whole UT1 collection in UT1_DIR as well, as a pupil policy (lib/common.sh write_ut1_policy):
# UT1_DIR=.../ut1/blacklists cpu-per-unit.sh -r 9 sg.jar sg.jar+ut1 is issue 12's "all of UT1
# against the banned list alone", per unit of work.)
# Starts an nginx origin (1 KiB and 1 MiB files) and every jar at once (same profile policy as
# profile.sh: 100,000-name banned list, tunnel checks on), warms each up, then for ROUNDS rounds
# (default 3) runs, on each jar in turn, 4,000 new CONNECT tunnels with a plain GET inside
# (Connection: close, as the peers harness), 2,000 1 MiB GETs over 10 kept-alive tunnels,
# 10 s of wrk http_1k (50 keep-alive connections) and 10 s of wrk blocked_1k (the same, to a
# site on the banned list: the block page); it prints each jar's CPU (user + system, all
# threads but the JIT compilers', from /proc) per tunnel, per MiB, per request and per block page.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
ROUNDS=3
if [ "${1:-}" = -r ]; then ROUNDS=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: $0 [-r ROUNDS] JAR..." >&2; exit 1; }
ORIGIN_PORT="${ORIGIN_PORT:-18196}"
BASE_PORT="${PROXY_PORT:-13170}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
WORK="$(mktemp -d /tmp/schoolgate-cpu.XXXXXX)"
NGINX_PID="" PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do stop_process "$p" TERM; done
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mkdir -p "$WORK/www"
chmod 755 "$WORK" # mktemp makes it 700: nginx's workers (nobody) would answer every GET with 403
head -c 1024 /dev/urandom > "$WORK/www/1k"
head -c 1048576 /dev/urandom > "$WORK/www/1m"
start_nginx "$WORK" "$ORIGIN_PORT" cpu-per-unit.sh
URL="http://127.0.0.1:$ORIGIN_PORT"
for _ in $(seq 1 4000); do printf 'url = "%s/1k"\noutput = "/dev/null"\n' "$URL"; done > "$WORK/new.cfg"
for _ in $(seq 1 2000); do printf 'url = "%s/1m"\noutput = "/dev/null"\n' "$URL"; done > "$WORK/bulk.cfg"
export SCHOOLGATE_TARGET="$URL/1k" SCHOOLGATE_TARGET_HOST="127.0.0.1:$ORIGIN_PORT"

i=0
for arg in "$@"; do
  ut1=""; spec="$arg"
  if [ "${arg%+ut1}" != "$arg" ]; then
    ut1=1; spec="${arg%+ut1}"
    [ -n "${UT1_DIR:-}" ] || { echo "$arg: set UT1_DIR to UT1's blacklists directory" >&2; exit 1; }
  fi
  jar="${spec%@*}"; transport=""; [ "$jar" = "$spec" ] || transport="${spec##*@}"
  port=$((BASE_PORT + 2 * i)); dir="$WORK/sg$i"
  mkdir -p "$dir/lists"
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
  if [ -n "$ut1" ]; then
    write_ut1_policy "$dir/policy.yaml" "$UT1_DIR" "$dir/policy-ut1.yaml"
    mv "$dir/policy-ut1.yaml" "$dir/policy.yaml"
  fi
  write_runtime_config "$dir/schoolgate.yaml" "$port" "$((port + 1))"
  [ -z "$transport" ] || sed -i "s/^  listen: 127.0.0.1:$port\$/&\n  transport: $transport/" "$dir/schoolgate.yaml"
  java -jar "$jar" run --config "$dir/schoolgate.yaml" > "$dir/out.log" 2>&1 &
  PIDS+=($!)
  i=$((i + 1))
done
for i in "${!PIDS[@]}"; do
  wait_for_port $((BASE_PORT + 2 * i)) 180 || { cat "$WORK/sg$i/out.log" >&2; exit 1; }
done
# CPU seconds of all the jar's threads but the JIT compilers' (whose work is warm-up, not the
# proxy's, and lands at random in one jar's round or another's)
cpu() {
  local hz t sum=0
  hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    grep -q CompilerThre "$t/comm" 2>/dev/null && continue
    sum=$((sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum / $hz" | bc -l
}
new_tunnels() { curl -s --no-progress-meter --parallel --parallel-max 50 -H 'Connection: close' --proxytunnel -x "http://127.0.0.1:$1" -K "$WORK/new.cfg"; }
bulk() { curl -s --no-progress-meter --parallel --parallel-max 10 --proxytunnel -x "http://127.0.0.1:$1" -K "$WORK/bulk.cfg"; }
WRK_LUA="$HERE/wrk-absolute.lua"
if [ -n "${PACE_MS:-}" ]; then
  WRK_LUA="$WORK/paced.lua"
  { cat "$HERE/wrk-absolute.lua"; printf 'function delay()\n  return %d\nend\n' "$PACE_MS"; } > "$WRK_LUA"
fi
keepalive() { wrk -t1 -c50 -d"$2"s -s "$WRK_LUA" "http://127.0.0.1:$1" | awk '/requests in/ {print $1}'; }
blocked() {
  SCHOOLGATE_TARGET="http://site77.example/1k" SCHOOLGATE_TARGET_HOST="site77.example" keepalive "$@"
}
for i in "${!PIDS[@]}"; do # warm-up: JIT every path
  p=$((BASE_PORT + 2 * i))
  [ -n "${KEEPALIVE_ONLY:-}" ] || { new_tunnels "$p"; new_tunnels "$p"; bulk "$p"; }
  keepalive "$p" 10 > /dev/null
  blocked "$p" 10 > /dev/null
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'round\tjar\tus/tunnel\ttunnels/s\tus/MiB\tMiB/s\tus/request\treq/s\tus/block\tblocks/s\n'
for r in $(seq 1 "$ROUNDS"); do
  i=0
  for arg in "$@"; do
    p=$((BASE_PORT + 2 * i)); pid=${PIDS[$i]}
    c0=$(cpu "$pid"); t0=$(date +%s.%N)
    [ -n "${KEEPALIVE_ONLY:-}" ] || new_tunnels "$p"
    t1=$(date +%s.%N); c1=$(cpu "$pid")
    [ -n "${KEEPALIVE_ONLY:-}" ] || bulk "$p"
    t2=$(date +%s.%N); c2=$(cpu "$pid")
    n=$(keepalive "$p" 10); c3=$(cpu "$pid")
    b=$(blocked "$p" 10); c4=$(cpu "$pid")
    printf '%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f\t%.0f\t%.1f\t%.0f\n' "$r" "$(basename "$arg")" \
      "$(echo "($c1 - $c0) * 1000000 / 4000" | bc -l)" "$(echo "4000 / ($t1 - $t0)" | bc -l)" \
      "$(echo "($c2 - $c1) * 1000000 / 2000" | bc -l)" "$(echo "2000 / ($t2 - $t1)" | bc -l)" \
      "$(echo "($c3 - $c2) * 1000000 / $n" | bc -l)" "$(echo "$n / 10" | bc -l)" \
      "$(echo "($c4 - $c3) * 1000000 / $b" | bc -l)" "$(echo "$b / 10" | bc -l)"
    i=$((i + 1))
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
