#!/usr/bin/env bash
# reload-under-load.sh - hot reload of the 5M synthetic feed while the proxy is under load.
# Starts a local nginx origin and Schoolgate (policy: every feed category unacceptable for the
# loopback group), drives the proxy with wrk (allowed origin requests, plus a few connections of
# blocked feed hosts), POSTs /api/v1/policy/reload to the admin API N times during the run, and
# reports requests, failures, wrk's p99 and max latency, the longest GC pause and safepoint from
# the JVM's logs (measured window only) and each reload's duration. A baseline run of the same
# length without reloads comes first, for comparison. Stops everything it started.
#
# Builds nothing: expects deploy/target/schoolgate.jar and benchmarks/target/benchmarks.jar
# (./mvnw -q -DskipTests package). Writes the feed into benchmarks/target/feed5m if missing.
# All traffic stays on 127.0.0.1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
ROOT="$(cd "$HERE/.." && pwd)"
JAR="${SCHOOLGATE_JAR:-$ROOT/deploy/target/schoolgate.jar}"
BENCH_JAR="${BENCH_JAR:-$HERE/target/benchmarks.jar}"
FEED_DIR="${FEED_DIR:-$HERE/target/feed5m}"
DURATION="${DURATION:-40}"       # seconds of load, baseline and reload runs each
WARMUP="${WARMUP:-5}"            # seconds of discarded warm-up load (JIT)
RELOADS="${RELOADS:-4}"          # reloads during the reload run
LEAD="${LEAD:-3}"                # seconds of load before the first reload
GAP="${GAP:-1}"                  # seconds between the end of a reload and the next POST
CONNS="${CONNS:-40}"             # wrk connections, allowed requests
BLOCKED_CONNS="${BLOCKED_CONNS:-4}"  # wrk connections, blocked requests (0: none)
BASELINE="${BASELINE:-1}"        # 1: a run without reloads first
HEAP="${HEAP:-2g}"
ORIGIN_PORT="${ORIGIN_PORT:-18181}"
PROXY_PORT="${PROXY_PORT:-13140}"
ADMIN_PORT="${ADMIN_PORT:-18190}"
RESULTS_DIR="${RESULTS_DIR:-$HERE/target/reload}"

usage() {
  cat <<USAGE
Usage: benchmarks/reload-under-load.sh [--duration S] [--reloads N] [--conns N] [--blocked-conns N]
                                       [--warmup S] [--no-baseline]

Hot reload of the 5M synthetic feed through the admin API while wrk drives the proxy. Expects
$JAR and $BENCH_JAR (./mvnw -q -DskipTests package); needs wrk, nginx, curl and jq.
Environment: FEED_DIR ($FEED_DIR), HEAP ($HEAP), LEAD ($LEAD s before the first reload),
GAP ($GAP s between reloads), ORIGIN_PORT ($ORIGIN_PORT), PROXY_PORT ($PROXY_PORT),
ADMIN_PORT ($ADMIN_PORT), RESULTS_DIR ($RESULTS_DIR).
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --reloads) RELOADS="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --blocked-conns) BLOCKED_CONNS="$2"; shift 2 ;;
    --no-baseline) BASELINE=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "reload-under-load.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$DURATION$WARMUP$RELOADS$CONNS$BLOCKED_CONNS$LEAD$GAP" in
  *[!0-9]*) echo "reload-under-load.sh: --duration, --warmup, --reloads, --conns, --blocked-conns, LEAD and GAP take whole numbers" >&2; exit 2 ;;
esac
if [ "$DURATION" -lt 5 ] || [ "$DURATION" -gt 300 ]; then
  echo "reload-under-load.sh: --duration $DURATION (expected: 5-300 seconds)" >&2; exit 2
fi
if [ "$RELOADS" -lt 1 ] || [ "$RELOADS" -gt 50 ] || [ "$CONNS" -lt 1 ]; then
  echo "reload-under-load.sh: --reloads $RELOADS, --conns $CONNS (expected: 1-50 reloads, at least 1 connection)" >&2; exit 2
fi
for f in "$JAR" "$BENCH_JAR"; do
  [ -f "$f" ] || { echo "reload-under-load.sh: $f not found (expected: build it first with ./mvnw -q -DskipTests package)" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in wrk curl jq java; do
  command -v "$tool" >/dev/null || { echo "reload-under-load.sh: $tool not found (expected: apt-get install wrk nginx curl jq)" >&2; exit 1; }
done
[ -x "$NGINX" ] || { echo "reload-under-load.sh: nginx not found (expected: apt-get install nginx)" >&2; exit 1; }

# ---- work directory and cleanup -----------------------------------------------------------
WORK="$(mktemp -d /tmp/schoolgate-reload.XXXXXX)"
chmod 755 "$WORK"
NGINX_PID=""
SCHOOLGATE_PID=""
BG_PIDS=()
cleanup() {
  local status=$?
  for pid in "${BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  stop_process "$SCHOOLGATE_PID" TERM
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_free_ports reload-under-load.sh "$ORIGIN_PORT" "$PROXY_PORT" "$ADMIN_PORT"

# ---- the 5M feed and a policy over it -------------------------------------------------------
if [ ! -f "$FEED_DIR/COMPLETE" ]; then
  echo "writing the synthetic 5M feed into $FEED_DIR ..."
  java -cp "$BENCH_JAR" org.schoolgate.bench.SyntheticFeed "$FEED_DIR"
fi
BLACKLISTS="$FEED_DIR/blacklists"
CATEGORY_DIRS=()
for d in "$BLACKLISTS"/*/; do
  d="${d%/}"; [ -f "$d/domains" ] && CATEGORY_DIRS+=("$(basename "$d")")
done
[ "${#CATEGORY_DIRS[@]}" -gt 0 ] || { echo "reload-under-load.sh: no <category>/domains under $BLACKLISTS" >&2; exit 1; }
{
  echo "# reload-under-load.sh: loopback clients are pupils; every feed category is unacceptable."
  echo "timezone: Europe/London"
  echo "clients:"
  echo "  allow: [127.0.0.0/8]"
  echo "lists:"
  echo "  - { name: feed, format: squidguard, path: \"$BLACKLISTS\" }"
  echo "groups:"
  echo "  pupils: { subnets: [127.0.0.0/8] }"
  echo "categories:"
  for c in "${CATEGORY_DIRS[@]}"; do echo "  ${c//_/-}: { sources: [feed/$c] }"; done
  echo "matrix:"
  for c in "${CATEGORY_DIRS[@]}"; do echo "  ${c//_/-}: { default: unacceptable }"; done
  echo "default: acceptable"
} > "$WORK/policy.yaml"
write_runtime_config "$WORK/schoolgate.yaml" "$PROXY_PORT" "$ADMIN_PORT"
# The first line of each category's file: blocked hosts for the blocked-load connections.
BLOCKED_URLS=""
for c in "${CATEGORY_DIRS[@]}"; do
  BLOCKED_URLS="$BLOCKED_URLS http://$(head -1 "$BLACKLISTS/$c/domains")/"
done

# ---- origin: nginx serving static bodies ---------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
for size in 1 4 16; do head -c $((size * 1024)) /dev/urandom > "$WORK/www/${size}k"; done
echo '<!doctype html><title>index</title><p>origin' > "$WORK/www/index.html"
chmod -R a+rX "$WORK/www"
start_nginx "$WORK" "$ORIGIN_PORT" reload-under-load.sh
O="127.0.0.1:$ORIGIN_PORT"
ALLOWED_URLS="http://$O/1k http://$O/4k http://$O/index.html http://$O/16k http://localhost:$ORIGIN_PORT/1k"

# ---- Schoolgate with the 5M policy ---------------------------------------------------------
GC_LOG="$WORK/gc.log"
SAFEPOINT_LOG="$WORK/safepoint.log"
STARTED=$SECONDS
# A technician account for the reloads (the admin API needs one); its database is beside the config.
printf 'reload benchmark password\n' | java -jar "$JAR" accounts add bench --roles technician \
  --config "$WORK/schoolgate.yaml" > /dev/null \
  || { echo "reload-under-load.sh: could not create the benchmark account" >&2; exit 1; }
java "-Xmx$HEAP" "-Xlog:gc,gc+cpu:file=$GC_LOG" "-Xlog:safepoint:file=$SAFEPOINT_LOG" ${JAVA_OPTS:-} \
  -jar "$JAR" run --config "$WORK/schoolgate.yaml" > "$WORK/schoolgate.out" 2>&1 &
SCHOOLGATE_PID=$!
deadline=$((SECONDS + 120))
until grep -q "Schoolgate is running" "$WORK/schoolgate.out"; do
  if ! kill -0 "$SCHOOLGATE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "reload-under-load.sh: Schoolgate did not start:" >&2; cat "$WORK/schoolgate.out" >&2; exit 1
  fi
  sleep 0.2
done
echo "Schoolgate started with the 5M policy in $((SECONDS - STARTED)) s"
TOKEN="$(curl -sf -X POST "http://127.0.0.1:$ADMIN_PORT/api/v1/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"reload benchmark password"}' | jq -r '.token')"
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "reload-under-load.sh: could not sign in to the admin API" >&2; exit 1; }

status_through_proxy() { # URL HOST -> HTTP status code of one absolute-form request via the proxy
  exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT"
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$1" "$2" >&3
  local line
  IFS= read -r line <&3 || true
  exec 3<&- 3>&-
  echo "$line" | awk '{print $2}'
}
for url in $ALLOWED_URLS; do
  host="${url#http://}"; host="${host%%/*}"
  s="$(status_through_proxy "$url" "$host")"
  [ "$s" = "200" ] || { echo "reload-under-load.sh: sanity check: $url through the proxy gave '$s' (expected 200)" >&2; exit 1; }
done
for url in $BLOCKED_URLS; do
  host="${url#http://}"; host="${host%%/*}"
  s="$(status_through_proxy "$url" "$host")"
  [ "$s" = "403" ] || { echo "reload-under-load.sh: sanity check: listed $url through the proxy gave '$s' (expected 403)" >&2; exit 1; }
done
entries="$(curl -sf "http://127.0.0.1:$ADMIN_PORT/healthz" | jq -r '.policy.entries')"
echo "policy: ${#CATEGORY_DIRS[@]} categories, $entries entries; allowed and blocked sanity checks passed"

# ---- load ----------------------------------------------------------------------------------
run_wrk() { # LABEL CONNS SECONDS URLS OUTFILE; called with & so that exec makes $! the wrk process
  SCHOOLGATE_LABEL="$1" SCHOOLGATE_URLS="$4" \
    exec wrk -t1 -c"$2" -d"${3}s" --timeout 5s --latency -s "$HERE/wrk-reload.lua" "http://127.0.0.1:$PROXY_PORT" \
    > "$5" 2>&1
}
load() { # NAME SECONDS -> $WORK/NAME-allowed.txt and $WORK/NAME-blocked.txt (wrk runs in the background)
  run_wrk allowed "$CONNS" "$2" "$ALLOWED_URLS" "$WORK/$1-allowed.txt" &
  LOAD_PIDS=($!)
  if [ "$BLOCKED_CONNS" -gt 0 ]; then
    run_wrk blocked "$BLOCKED_CONNS" "$2" "$BLOCKED_URLS" "$WORK/$1-blocked.txt" &
    LOAD_PIDS+=($!)
  fi
  BG_PIDS+=("${LOAD_PIDS[@]}")
}
field() { # FILE KEY -> value from the SUMMARY line
  sed -n "s/.*SUMMARY .*\b$2=\([^ ]*\).*/\1/p" "$1" | head -1
}
log_lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
gc_max() { # LOG FROM_LINE -> "longest_ms count" of GC pauses after line FROM_LINE
  tail -n +"$(($2 + 1))" "$1" | awk '/Pause/ && match($0, /[0-9.]+ms$/) {
      v = substr($0, RSTART, RLENGTH - 2) + 0; n++; if (v > m) m = v } END { printf "%.1f %d\n", m, n }'
}
safepoint_max() { # LOG FROM_LINE -> "longest_ms count" of safepoints (reaching + at) after FROM_LINE
  tail -n +"$(($2 + 1))" "$1" | awk 'match($0, /Total: [0-9]+ ns/) {
      v = substr($0, RSTART + 7, RLENGTH - 10) / 1e6; n++; if (v > m) m = v } END { printf "%.1f %d\n", m, n }'
}

mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="$RESULTS_DIR/reload-$STAMP.txt"

if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: ${WARMUP}s of load (discarded)"
  load warmup "$WARMUP"; wait "${LOAD_PIDS[@]}" || true
fi

report_run() { # NAME RELOAD_COUNT
  local name="$1" gc sp f
  for f in "$WORK/$name"-*.txt; do
    grep -q SUMMARY "$f" || { echo "reload-under-load.sh: wrk printed no summary in $f:" >&2; cat "$f" >&2; exit 1; }
  done
  gc="$(gc_max "$GC_LOG" "$GC_FROM")"; sp="$(safepoint_max "$SAFEPOINT_LOG" "$SP_FROM")"
  for kind in allowed blocked; do
    f="$WORK/$name-$kind.txt"
    [ -f "$f" ] || continue
    printf '%-9s %-8s %10s %9s %8s %8s %8s %8s %9s %9s %12s %12s\n' "$name" "$kind" \
      "$(field "$f" requests)" "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")" \
      "$(field "$f" non2xx3xx)" "$(field "$f" connect)" "$(field "$f" read)+$(field "$f" write)" \
      "$(field "$f" timeout)" "$(awk -v v="$(field "$f" p99_us)" 'BEGIN {printf "%.1f", v / 1000}')" \
      "$(awk -v v="$(field "$f" max_us)" 'BEGIN {printf "%.1f", v / 1000}')" \
      "${gc% *} (${gc#* })" "${sp% *} (${sp#* })"
  done | tee -a "$RESULT"
}

{
  echo "Schoolgate reload under load $STAMP: $(nproc) cores, $(java -version 2>&1 | head -1), -Xmx$HEAP"
  echo "policy: ${#CATEGORY_DIRS[@]} feed categories unacceptable, $entries entries; wrk -t1 --timeout 5s, ${DURATION}s per run;"
  echo "allowed: -c$CONNS over $ALLOWED_URLS; blocked: -c$BLOCKED_CONNS over$BLOCKED_URLS (every answer 403, so non2xx3xx = requests)"
  printf '%-9s %-8s %10s %9s %8s %8s %8s %8s %9s %9s %12s %12s\n' run load requests req_s non2xx3xx connect rd+wr \
    timeout p99_ms max_ms gc_max_ms\(n\) safept_ms\(n\)
} | tee "$RESULT"

if [ "$BASELINE" -eq 1 ]; then
  GC_FROM="$(log_lines "$GC_LOG")"; SP_FROM="$(log_lines "$SAFEPOINT_LOG")"
  load baseline "$DURATION"; wait "${LOAD_PIDS[@]}" || true
  report_run baseline
fi

# Reloads: LEAD seconds into the load, then one after another with GAP seconds between.
GC_FROM="$(log_lines "$GC_LOG")"; SP_FROM="$(log_lines "$SAFEPOINT_LOG")"
LOAD_START=$(date +%s%N)
load reload "$DURATION"
(
  sleep "$LEAD"
  for i in $(seq 1 "$RELOADS"); do
    : > "$WORK/reload-$i.json"
    t0=$(date +%s%N)
    code="$(curl -s -o "$WORK/reload-$i.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN_PORT/api/v1/policy/reload" || echo 000)"
    t1=$(date +%s%N)
    took="$(jq -r '.tookMillis // empty' "$WORK/reload-$i.json" 2>/dev/null || true)"
    echo "$i $code $(( (t0 - LOAD_START) / 1000000 )) $(( (t1 - LOAD_START) / 1000000 )) ${took:-?} $(tr -d '\n' < "$WORK/reload-$i.json" | head -c 300)"
    sleep "$GAP"
  done
) > "$WORK/reloads.txt" &
RELOADER=$!
BG_PIDS+=("$RELOADER")
wait "${LOAD_PIDS[@]}" || true
LOAD_END_MS=$(( ($(date +%s%N) - LOAD_START) / 1000000 ))
wait "$RELOADER" || true
report_run reload

{
  echo "reloads (ms since the reload run's load started; the run's load ended at ${LOAD_END_MS} ms):"
  failed=0
  while read -r i code start end took body; do
    note=""
    [ "$code" = "200" ] || { note=" FAILED: $body"; failed=1; }
    [ "$end" -le "$LOAD_END_MS" ] || note="$note (ended after the load stopped)"
    printf '  reload %s: HTTP %s, POST at %s ms, answered at %s ms, wall %s ms, compile+swap (tookMillis) %s ms%s\n' \
      "$i" "$code" "$start" "$end" "$((end - start))" "$took" "$note"
  done < "$WORK/reloads.txt"
  allowed_bad=$(( $(field "$WORK/reload-allowed.txt" non2xx3xx) + $(field "$WORK/reload-allowed.txt" connect) \
    + $(field "$WORK/reload-allowed.txt" read) + $(field "$WORK/reload-allowed.txt" write) + $(field "$WORK/reload-allowed.txt" timeout) ))
  if [ "$allowed_bad" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "verdict: no allowed request failed during the reloads; compare max_ms and gc_max_ms with the 50 ms target"
  else
    echo "verdict: FAILURES: $allowed_bad allowed requests failed (non-2xx/3xx or socket errors), reloads failed: $failed"
  fi
} | tee -a "$RESULT"
cp "$GC_LOG" "$RESULTS_DIR/reload-$STAMP-gc.log"
cp "$SAFEPOINT_LOG" "$RESULTS_DIR/reload-$STAMP-safepoint.log"
cp "$WORK"/reload-allowed.txt "$RESULTS_DIR/reload-$STAMP-wrk-allowed.txt"
cp "$WORK/schoolgate.out" "$RESULTS_DIR/reload-$STAMP-schoolgate.out"
echo "results saved in $RESULT (GC and safepoint logs, wrk and Schoolgate output beside it)"
