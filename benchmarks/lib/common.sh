# Shared helpers for the benchmark scripts (sourced, not run). Loopback only.

# stop_process PID SIGNAL: send SIGNAL (TERM, QUIT), wait up to 10 s, then SIGKILL.
stop_process() {
  local pid="$1" signal="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# wait_for_port PORT SECONDS: until something listens on 127.0.0.1:PORT; 1 on timeout.
wait_for_port() {
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.1
  done
}

# require_free_ports SCRIPT PORT...: exit 1 naming the first port already in use.
require_free_ports() {
  local script="$1"; shift
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$script: port $port is already in use (set ORIGIN_PORT, PROXY_PORT or ADMIN_PORT)" >&2
      exit 1
    fi
  done
}
