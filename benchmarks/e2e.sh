#!/usr/bin/env bash
# e2e.sh - end-to-end throughput of Schoolgate on loopback: wrk against a local nginx origin
# directly, then the same requests through the Schoolgate proxy (absolute-form), same duration.
# Prints requests/s both ways and the ratio; stops everything it started.
#
# Builds nothing: expects deploy/target/schoolgate.jar (./mvnw -q -DskipTests package).
# Installs wrk and nginx with apt-get if they are missing (needs root for that).
# All traffic stays on 127.0.0.1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
ROOT="$(cd "$HERE/.." && pwd)"
JAR="${SCHOOLGATE_JAR:-$ROOT/deploy/target/schoolgate.jar}"
DURATION="${DURATION:-10}"       # seconds per wrk run
WARMUP="${WARMUP:-3}"            # seconds of discarded warm-up through the proxy (JIT)
CONNS="${CONNS:-50}"             # wrk connections
THREADS="${THREADS:-1}"          # wrk threads
SIZES="${SIZES:-1k 64k}"         # bodies served by the origin
ORIGIN_PORT="${ORIGIN_PORT:-18180}"
PROXY_PORT="${PROXY_PORT:-13138}"
ADMIN_PORT="${ADMIN_PORT:-18188}"
RESULTS_DIR="${RESULTS_DIR:-$HERE/target/e2e}"

usage() {
  cat <<USAGE
Usage: benchmarks/e2e.sh [--duration S] [--conns N] [--threads N] [--sizes "1k 64k"] [--warmup S]

Runs wrk directly against a local nginx origin and through Schoolgate for the same duration and
prints requests/s both ways and the ratio. Expects $JAR (build it with
./mvnw -q -DskipTests package). Environment: SCHOOLGATE_JAR, ORIGIN_PORT ($ORIGIN_PORT),
PROXY_PORT ($PROXY_PORT), ADMIN_PORT ($ADMIN_PORT), RESULTS_DIR ($RESULTS_DIR).
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --sizes) SIZES="${2//,/ }"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "e2e.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$DURATION$WARMUP$CONNS$THREADS" in *[!0-9]*) echo "e2e.sh: --duration, --warmup, --conns and --threads take whole numbers" >&2; exit 2 ;; esac
if [ "$DURATION" -lt 1 ] || [ "$DURATION" -gt 300 ]; then
  echo "e2e.sh: --duration $DURATION (expected: 1-300 seconds)" >&2; exit 2
fi
if [ ! -f "$JAR" ]; then
  echo "e2e.sh: $JAR not found (expected: build it first with ./mvnw -q -DskipTests package)" >&2
  exit 1
fi

# ---- tools ---------------------------------------------------------------------------------
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if ! command -v wrk >/dev/null || [ ! -x "$NGINX" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "e2e.sh: wrk and nginx are needed; run as root to install them, or: apt-get install wrk nginx" >&2
    exit 1
  fi
  echo "installing wrk and nginx (apt-get, --no-install-recommends)..."
  # Keep the packaged nginx service from starting on port 80 while it is installed.
  POLICY_RC=/usr/sbin/policy-rc.d
  ADDED_POLICY_RC=0
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$POLICY_RC"; chmod 755 "$POLICY_RC"; ADDED_POLICY_RC=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx >/dev/null
  if [ "$ADDED_POLICY_RC" -eq 1 ]; then rm -f "$POLICY_RC"; fi
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
fi

# ---- work directory and cleanup -----------------------------------------------------------
WORK="$(mktemp -d /tmp/schoolgate-e2e.XXXXXX)"
chmod 755 "$WORK"
NGINX_PID=""
SCHOOLGATE_PID=""
cleanup() {
  local status=$?
  stop_process "$SCHOOLGATE_PID" TERM
  stop_process "$NGINX_PID" QUIT
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_free_ports e2e.sh "$ORIGIN_PORT" "$PROXY_PORT" "$ADMIN_PORT"

# ---- origin: nginx serving static bodies ---------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
for size in $SIZES; do
  case "$size" in
    *k) head -c $(( ${size%k} * 1024 )) /dev/urandom > "$WORK/www/$size" ;;
    *m) head -c $(( ${size%m} * 1024 * 1024 )) /dev/urandom > "$WORK/www/$size" ;;
    *) echo "e2e.sh: size '$size' (expected: a number with k or m, e.g. 1k 64k 1m)" >&2; exit 2 ;;
  esac
done
chmod -R a+rX "$WORK/www"
start_nginx "$WORK" "$ORIGIN_PORT" e2e.sh

# ---- Schoolgate on its embedded default, in a temporary data directory ---------------------
java -jar "$JAR" --data-dir "$WORK/data" --proxy-port "$PROXY_PORT" --admin-port "$ADMIN_PORT" \
  > "$WORK/schoolgate.log" 2>&1 &
SCHOOLGATE_PID=$!
deadline=$((SECONDS + 90))
until grep -q "Schoolgate is running" "$WORK/schoolgate.log"; do
  if ! kill -0 "$SCHOOLGATE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "e2e.sh: Schoolgate did not start:" >&2; cat "$WORK/schoolgate.log" >&2; exit 1
  fi
  sleep 0.2
done

status_through_proxy() { # URL HOST -> HTTP status code of one absolute-form request via the proxy
  exec 3<>"/dev/tcp/127.0.0.1/$PROXY_PORT"
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$1" "$2" >&3
  local line
  IFS= read -r line <&3 || true
  exec 3<&- 3>&-
  echo "$line" | awk '{print $2}'
}
first_size="${SIZES%% *}"
allowed="$(status_through_proxy "http://127.0.0.1:$ORIGIN_PORT/$first_size" "127.0.0.1:$ORIGIN_PORT")"
blocked="$(status_through_proxy "http://www.bet365.com/" "www.bet365.com")"
if [ "$allowed" != "200" ] || [ "$blocked" != "403" ]; then
  echo "e2e.sh: sanity check failed: origin through the proxy gave '$allowed' (expected 200)," \
       "www.bet365.com gave '$blocked' (expected 403)" >&2
  exit 1
fi

# ---- measure --------------------------------------------------------------------------------
run_wrk() { # OUTFILE wrk-args...
  local out="$1"; shift
  wrk -t"$THREADS" -c"$CONNS" --latency "$@" > "$out" 2>&1 || true
}
req_s() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $5}' "$1"; }

mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="$RESULTS_DIR/e2e-$STAMP.txt"
{
  echo "Schoolgate e2e $STAMP: wrk -t$THREADS -c$CONNS -d${DURATION}s, loopback, $(nproc) cores, $(java -version 2>&1 | head -1)"
  printf '%-22s %14s %10s %14s %10s %8s %10s\n' scenario direct_req_s direct_p99 proxy_req_s proxy_p99 ratio proxy_errs
} | tee "$RESULT"

export SCHOOLGATE_TARGET_HOST="127.0.0.1:$ORIGIN_PORT"
for size in $SIZES; do
  export SCHOOLGATE_TARGET="http://127.0.0.1:$ORIGIN_PORT/$size"
  if [ "$WARMUP" -gt 0 ]; then
    run_wrk "$WORK/warmup.txt" -d"${WARMUP}s" -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT"
  fi
  run_wrk "$WORK/direct-$size.txt" -d"${DURATION}s" "http://127.0.0.1:$ORIGIN_PORT/$size"
  run_wrk "$WORK/proxy-$size.txt" -d"${DURATION}s" -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT"
  d="$(req_s "$WORK/direct-$size.txt")"; p="$(req_s "$WORK/proxy-$size.txt")"
  ratio="$(awk -v a="$p" -v b="$d" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
  printf '%-22s %14s %10s %14s %10s %8s %10s\n' "http_$size" "${d:-n/a}" "$(p99 "$WORK/direct-$size.txt")" \
    "${p:-n/a}" "$(p99 "$WORK/proxy-$size.txt")" "$ratio" "$(non2xx "$WORK/proxy-$size.txt")" | tee -a "$RESULT"
done

# Blocked requests: the proxy answers with its prebuilt 403 page, no origin involved.
export SCHOOLGATE_TARGET="http://www.bet365.com/" SCHOOLGATE_TARGET_HOST="www.bet365.com"
run_wrk "$WORK/blocked.txt" -d"${DURATION}s" -s "$HERE/wrk-absolute.lua" "http://127.0.0.1:$PROXY_PORT"
printf '%-22s %14s %10s %14s %10s %8s %10s\n' "blocked_403_page" "-" "-" "$(req_s "$WORK/blocked.txt")" \
  "$(p99 "$WORK/blocked.txt")" "-" "$(non2xx "$WORK/blocked.txt")" | tee -a "$RESULT"
echo "(proxy_errs counts non-2xx answers; for blocked_403_page every answer is the 403 block page)" | tee -a "$RESULT"
echo "results saved in $RESULT"
