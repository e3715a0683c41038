#!/usr/bin/env bash
# profile.sh - where a Schoolgate jar's event-loop cycles go under http_1k, connect_new_1k and
# tunnel_1m load, as text (benchmarks/lib/jfr_top.py over a JFR recording sampled every millisecond).
# Loopback only; needs nginx, wrk and curl (../shared/peers/bench.sh installs them).
#
# Usage: sudo benchmarks/profile.sh [JAR...]   (default deploy/target/schoolgate.jar)
# Each jar in turn: nginx origin with a 1 KiB file, the jar with the peers policy (100,000-name
# banned list, tunnel checks on), 15 s of warm-up, then 20 s of wrk http_1k (50 keep-alive
# connections) and 20 s of connect_new_1k (curl --parallel 50, a new CONNECT tunnel per request
# (Connection: close, as the peers harness sends; without it curl reuses its tunnels)
# with a plain GET inside) and 20 s of tunnel_1m (curl --parallel 10, GET of a 1 MiB file over
# CONNECT tunnels kept alive and reused: the bulk relay path, as the peers' tls_1m but without
# TLS work in the client), each recorded; the summaries go to benchmarks/target/profile/.
# With ASYNC_PROFILER=/path/to/libasyncProfiler.so (tools.profiler:async-profiler from Maven
# Central, unzipped) each load is also sampled by async-profiler (cpu, kernel frames included:
# JFR's execution samples miss a thread that is in a system call), attached with jcmd for the
# load's window only, and summarised by lib/collapsed_top.py.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=("$ROOT/deploy/target/schoolgate.jar")
ORIGIN_PORT="${ORIGIN_PORT:-18195}"
PROXY_PORT="${PROXY_PORT:-13165}"
ADMIN_PORT="${ADMIN_PORT:-13166}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
OUT="$HERE/target/profile"
WORK="$(mktemp -d /tmp/schoolgate-profile.XXXXXX)"
NGINX_PID="" PID=""
cleanup() {
  stop_process "$PID" TERM
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mkdir -p "$OUT" "$WORK/www" "$WORK/sg/lists"
chmod 755 "$WORK" # mktemp makes it 700: nginx's workers (nobody) would answer every GET with 403
head -c 1024 /dev/urandom > "$WORK/www/1k"
head -c 1048576 /dev/urandom > "$WORK/www/1m"
start_nginx "$WORK" "$ORIGIN_PORT" profile.sh
seq 1 100000 | sed 's/^/site/; s/$/.example/' > "$WORK/sg/lists/banned-sites.txt"
cat > "$WORK/sg/policy.yaml" <<POLICY
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
sed 's/\(method-sampling-java-interval">\)10 ms/\11 ms/' \
  "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" > "$WORK/fast.jfc"
URL="http://127.0.0.1:$ORIGIN_PORT/1k"
export SCHOOLGATE_TARGET="$URL" SCHOOLGATE_TARGET_HOST="127.0.0.1:$ORIGIN_PORT"
for _ in $(seq 1 4000); do printf 'url = "%s"\noutput = "/dev/null"\n' "$URL"; done > "$WORK/curl.cfg"
for _ in $(seq 1 1000); do printf 'url = "%s"\noutput = "/dev/null"\n' "${URL%1k}1m"; done > "$WORK/curl-1m.cfg"
tunnel_1m() { curl -s --no-progress-meter --parallel --parallel-max 10 --proxytunnel -x "http://127.0.0.1:$PROXY_PORT" -K "$WORK/curl-1m.cfg"; }
connect_new() { curl -s --no-progress-meter --parallel --parallel-max 50 -H 'Connection: close' --proxytunnel -x "http://127.0.0.1:$PROXY_PORT" -K "$WORK/curl.cfg"; }

AP="${ASYNC_PROFILER:-}"
EXTRA_OPTS=()
[ -n "$AP" ] && EXTRA_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
# ap_start / ap_stop PHASE: async-profiler over one load's window (no-op without ASYNC_PROFILER)
ap_start() { [ -z "$AP" ] || jcmd "$PID" JVMTI.agent_load "$AP" "\"start,event=cpu,interval=1ms,threads\"" > /dev/null; }
ap_stop() { [ -z "$AP" ] || jcmd "$PID" JVMTI.agent_load "$AP" "\"stop,file=$OUT/$name.$1.collapsed,collapsed\"" > /dev/null; }
# cpu_secs: the jar's CPU time so far (user + system, all threads), to report CPU per unit of work
# (robust on a shared machine, where throughput mostly measures what the others left over)
cpu_secs() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$PID/stat"; }
ap_summary() { [ -z "$AP" ] || python3 "$HERE/lib/collapsed_top.py" "$OUT/$name.$1.collapsed"; }

for jar in "${JARS[@]}"; do
  name="$(basename "$jar" .jar)"
  rm -rf "$WORK/sg/logs" "$WORK/sg/schoolgate.db"
  write_runtime_config "$WORK/sg/schoolgate.yaml" "$PROXY_PORT" "$ADMIN_PORT"
  java "${EXTRA_OPTS[@]}" "-XX:StartFlightRecording=filename=$OUT/$name.jfr,settings=$WORK/fast.jfc,dumponexit=true" \
    -jar "$jar" run --config "$WORK/sg/schoolgate.yaml" > "$OUT/$name.out" 2>&1 &
  PID=$!
  wait_for_port "$PROXY_PORT" 180 || { cat "$OUT/$name.out" >&2; exit 1; }
  wrk -t1 -c50 -d15s -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT" > /dev/null
  connect_new
  ap_start; cpu0=$(cpu_secs)
  from=$(date +%T); wrk -t1 -c50 -d20s -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT" > "$OUT/$name.http_1k.wrk"; to=$(date +%T)
  cpu1=$(cpu_secs); ap_stop http_1k
  reqs=$(awk '/requests in/ {print $1}' "$OUT/$name.http_1k.wrk")
  echo "proxy CPU $(echo "$cpu1 - $cpu0" | bc) s for $reqs requests: $(echo "($cpu1 - $cpu0) * 1000000 / $reqs" | bc) us/request" >> "$OUT/$name.http_1k.wrk"
  http_window="$from $to"
  ap_start; cpu0=$(cpu_secs)
  from=$(date +%T); start=$(date +%s.%N); n=0
  while [ "$(echo "$(date +%s.%N) - $start < 20" | bc)" = 1 ]; do connect_new; n=$((n + 4000)); done
  to=$(date +%T); secs=$(echo "$(date +%s.%N) - $start" | bc)
  cpu1=$(cpu_secs); ap_stop connect_new_1k
  echo "connect_new_1k: $n tunnels in $secs s; proxy CPU $(echo "$cpu1 - $cpu0" | bc) s: $(echo "($cpu1 - $cpu0) * 1000000 / $n" | bc) us/tunnel" > "$OUT/$name.connect_new.txt"
  connect_window="$from $to"
  ap_start; cpu0=$(cpu_secs)
  from=$(date +%T); start=$(date +%s.%N); n=0
  while [ "$(echo "$(date +%s.%N) - $start < 20" | bc)" = 1 ]; do tunnel_1m; n=$((n + 1000)); done
  to=$(date +%T); secs=$(echo "$(date +%s.%N) - $start" | bc)
  cpu1=$(cpu_secs); ap_stop tunnel_1m
  echo "tunnel_1m: $n MiB in $secs s ($(echo "$n / $secs" | bc) MiB/s); proxy CPU $(echo "$cpu1 - $cpu0" | bc) s: $(echo "($cpu1 - $cpu0) * 1000000 / $n" | bc) us/MiB" > "$OUT/$name.tunnel_1m.txt"
  stop_process "$PID" TERM; PID=""
  # shellcheck disable=SC2086
  { echo "## $name http_1k"; grep -E 'Requests/sec|proxy CPU' "$OUT/$name.http_1k.wrk"; python3 "$HERE/lib/jfr_top.py" "$OUT/$name.jfr" $http_window; ap_summary http_1k
    echo "## $name connect_new_1k"; cat "$OUT/$name.connect_new.txt"; python3 "$HERE/lib/jfr_top.py" "$OUT/$name.jfr" $connect_window; ap_summary connect_new_1k
    echo "## $name tunnel_1m"; cat "$OUT/$name.tunnel_1m.txt"; python3 "$HERE/lib/jfr_top.py" "$OUT/$name.jfr" "$from" "$to"; ap_summary tunnel_1m
  } > "$OUT/$name.summary.txt"
  cat "$OUT/$name.summary.txt"
done
