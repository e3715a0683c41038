#!/usr/bin/env bash
# mutation-smoke.sh - request-level mutation smoke test of the real proxy: COUNT mutated requests
# (benchmarks/mutation_smoke.py: request line, headers, bodies, chunked framing, CONNECT,
# pipelining, oversized fields, bad UTF-8, smuggling shapes, truncation, split writes) through
# deploy/target/schoolgate.jar running with Netty's paranoid leak detection, against a local
# origin. Then it checks: the process is alive, /healthz answers ok, the proxy still answers a
# plain request, the log has no "LEAK:" line, and the used heap after a full GC has not grown
# (start vs end, jcmd GC.heap_info).
#
# Everything runs inside a network namespace of its own that has only a loopback interface, so
# no mutated host name or address can reach any other machine (needs root: ip netns). Not run
# by CI (./mvnw verify); the last run is recorded in benchmarks/README.md.
#
# Builds nothing: expects deploy/target/schoolgate.jar (./mvnw -q -DskipTests package).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAR="${SCHOOLGATE_JAR:-$ROOT/deploy/target/schoolgate.jar}"
COUNT="${COUNT:-100000}"
CONCURRENCY="${CONCURRENCY:-32}"
SEED="${SEED:-1}"
WARMUP="${WARMUP:-2000}"          # cases before the first heap reading (JIT, caches, pools)
HEAP_SLACK_MB="${HEAP_SLACK_MB:-32}"
NETNS="${NETNS:-fix-fuzz-smoke}"  # a fresh namespace of this name is created and deleted
ORIGIN_PORT=18280 PROXY_PORT=13238 ADMIN_PORT=18288
RESULTS_DIR="${RESULTS_DIR:-$HERE/target/mutation-smoke}"

usage() {
  cat <<USAGE
Usage: benchmarks/mutation-smoke.sh [--count N] [--concurrency N] [--seed N]

Sends N (default 100000) mutated requests through Schoolgate in a loopback-only network
namespace and checks process alive, /healthz ok, no LEAK lines, heap flat (end <= start +
${HEAP_SLACK_MB} MiB). Needs root (ip netns), python3 and $JAR.
Environment: SCHOOLGATE_JAR, WARMUP ($WARMUP), HEAP_SLACK_MB, NETNS ($NETNS), RESULTS_DIR.
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "mutation-smoke.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$COUNT$CONCURRENCY$SEED$WARMUP" in *[!0-9]*) echo "mutation-smoke.sh: --count, --concurrency and --seed take whole numbers" >&2; exit 2 ;; esac
[ -f "$JAR" ] || { echo "mutation-smoke.sh: $JAR not found (expected: ./mvnw -q -DskipTests package first)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "mutation-smoke.sh: needs root for its network namespace (ip netns)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "mutation-smoke.sh: python3 is needed" >&2; exit 1; }
if ip netns list | grep -qw "$NETNS"; then
  echo "mutation-smoke.sh: network namespace $NETNS exists (another run? delete it with: ip netns del $NETNS)" >&2
  exit 1
fi

WORK="$(mktemp -d /tmp/schoolgate-mutation.XXXXXX)"
ORIGIN_PID="" SCHOOLGATE_PID=""
in_ns() { ip netns exec "$NETNS" "$@"; }
stop() { # PID: TERM, up to 15 s, then KILL
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop "$SCHOOLGATE_PID"; stop "$ORIGIN_PID"
  ip netns del "$NETNS" 2>/dev/null || true
  if [ "$status" -ne 0 ] && [ -f "$WORK/schoolgate.log" ]; then
    mkdir -p "$RESULTS_DIR"; cp "$WORK/schoolgate.log" "$RESULTS_DIR/schoolgate-failed.log"
    echo "mutation-smoke.sh: the proxy's log is in $RESULTS_DIR/schoolgate-failed.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NETNS"
in_ns ip link set lo up

# ---- the proxy's configuration: a small policy, static names, everything on loopback ---------
cat > "$WORK/policy.yaml" <<POLICY
timezone: Europe/London
clients: { allow: [127.0.0.0/8] }
groups:
  pupils: { subnets: [127.0.0.0/8], description: "Pupils (the smoke test's client)" }
categories:
  gambling: { domains: [bet.smoke.test, www.bet365.com], description: Gambling }
  games: { urls: [origin.smoke.test/games/], description: Games }
matrix:
  gambling: { default: unacceptable }
  games: { default: unacceptable }
default: acceptable
tunnels:
  allowed-ports: [443, $ORIGIN_PORT]
POLICY
cat > "$WORK/schoolgate.yaml" <<CONFIG
proxy:
  listen: 127.0.0.1:$PROXY_PORT
  connect-timeout: 2s
admin:
  listen: 127.0.0.1:$ADMIN_PORT
policy: policy.yaml
access-log:
  dir: logs
dns:
  static:
    origin.smoke.test: 127.0.0.1
    bet.smoke.test: 127.0.0.1
    www.google.com: 127.0.0.1
    forcesafesearch.google.com: 127.0.0.1
CONFIG

# Started with ip netns exec directly (not through a shell function), so that $! is the process
# itself (ip execs it) and the cleanup stops it.
ip netns exec "$NETNS" python3 "$HERE/mutation_smoke.py" origin "$ORIGIN_PORT" > "$WORK/origin.log" 2>&1 &
ORIGIN_PID=$!
ip netns exec "$NETNS" java -Dio.netty.leakDetection.level=paranoid -Xmx512m -jar "$JAR" run \
  --config "$WORK/schoolgate.yaml" > "$WORK/schoolgate.log" 2>&1 &
SCHOOLGATE_PID=$!
deadline=$((SECONDS + 120))
until grep -q "Schoolgate is running" "$WORK/schoolgate.log"; do
  if ! kill -0 "$SCHOOLGATE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "mutation-smoke.sh: Schoolgate did not start:" >&2; cat "$WORK/schoolgate.log" >&2; exit 1
  fi
  sleep 0.2
done
JAVA_PID="$SCHOOLGATE_PID"

used_heap_mb() { # after a full GC; G1 prints "garbage-first heap total 123K, used 45K"
  jcmd "$JAVA_PID" GC.run >/dev/null
  jcmd "$JAVA_PID" GC.heap_info | awk '/heap.*used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); printf "%.1f", v / 1024; exit } }'
}
drive() { # COUNT SEED
  in_ns python3 "$HERE/mutation_smoke.py" drive --proxy "127.0.0.1:$PROXY_PORT" --origin-port "$ORIGIN_PORT" \
    --count "$1" --concurrency "$CONCURRENCY" --seed "$2"
}
answers() { # a plain blocked request still gets its 403 within 10 s (accepting and serving)
  in_ns python3 - "$PROXY_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.settimeout(10)
s.sendall(b"GET http://bet.smoke.test/ HTTP/1.1\r\nHost: bet.smoke.test\r\n\r\n")
try:
    print(s.recv(12).decode("latin-1").strip() or "closed")
except OSError as e:
    print("no answer:", e)
PY
}
healthz() { in_ns python3 - "$ADMIN_PORT" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=10) as r:
    body = r.read().decode()
    print(r.status, body)
PY
}

echo "warming up with $WARMUP cases..."
drive "$WARMUP" 0 > "$WORK/warmup.json"
HEAP_START="$(used_heap_mb)"
echo "used heap after a full GC: $HEAP_START MiB; sending $COUNT mutated cases (seed $SEED, $CONCURRENCY at a time)..."
drive "$COUNT" "$SEED" > "$WORK/run.json"
# Paranoid leak detection reports a leaked buffer when a later allocation finds it collected:
# collect, then send a few more requests so any report is written.
jcmd "$JAVA_PID" GC.run >/dev/null
drive 200 999 > /dev/null
HEAP_END="$(used_heap_mb)"

ALIVE=no; kill -0 "$SCHOOLGATE_PID" 2>/dev/null && ALIVE=yes
HEALTH="$(healthz 2>&1 || true)"
ANSWERS="$(answers 2>&1 || true)"
BACKLOG="$(in_ns ss -ltn "( sport = :$PROXY_PORT )" | awk 'NR == 2 { print $2 }')"
LEAKS="$(grep -c 'LEAK:' "$WORK/schoolgate.log" || true)"
ERRORS="$(grep -c ' ERROR ' "$WORK/schoolgate.log" || true)"

mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="$RESULTS_DIR/mutation-smoke-$STAMP.txt"
{
  echo "Schoolgate mutation smoke $STAMP: $(nproc) cores, $(java -version 2>&1 | head -1), seed $SEED, concurrency $CONCURRENCY"
  echo "run: $(cat "$WORK/run.json")"
  echo "alive: $ALIVE"
  echo "healthz: $HEALTH"
  echo "a plain request afterwards: $ANSWERS (connections waiting to be accepted: $BACKLOG)"
  echo "LEAK lines: $LEAKS"
  echo "ERROR lines in the proxy's log: $ERRORS"
  echo "used heap after full GC: start $HEAP_START MiB, end $HEAP_END MiB (allowed: start + $HEAP_SLACK_MB MiB)"
} | tee "$RESULT"
cp "$WORK/schoolgate.log" "$RESULTS_DIR/schoolgate-$STAMP.log"

fail=0
[ "$ALIVE" = yes ] || { echo "FAIL: the proxy process died" >&2; fail=1; }
case "$HEALTH" in 200*'"ok"'*) ;; *) echo "FAIL: /healthz did not answer ok" >&2; fail=1 ;; esac
case "$ANSWERS" in "HTTP/1.1 403") ;; *) echo "FAIL: the proxy no longer answers a plain request ($ANSWERS)" >&2; fail=1 ;; esac
[ "$LEAKS" -eq 0 ] || { echo "FAIL: $LEAKS LEAK lines (see $RESULTS_DIR/schoolgate-$STAMP.log)" >&2; fail=1; }
awk -v s="$HEAP_START" -v e="$HEAP_END" -v slack="$HEAP_SLACK_MB" 'BEGIN { exit !(e <= s + slack) }' \
  || { echo "FAIL: used heap grew from $HEAP_START to $HEAP_END MiB" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS (results in $RESULT)"
exit "$fail"
