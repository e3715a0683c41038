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

# start_nginx WORK PORT WHO: serves WORK/www on 127.0.0.1:PORT (keep-alive, sendfile, no access
# log) with its state under WORK; sets NGINX_PID; exits naming WHO when nginx does not start.
# Needs $NGINX (the nginx binary).
start_nginx() {
  local work=$1 port=$2 who=$3
  mkdir -p "$work/nginx-tmp"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
NGINX
  "$NGINX" -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>>"$work/nginx-error.log" &
  NGINX_PID=$!
  wait_for_port "$port" 10 || { echo "$who: nginx did not start:" >&2; cat "$work/nginx-error.log" >&2; exit 1; }
}

# write_runtime_config FILE PROXY_PORT ADMIN_PORT: a Schoolgate runtime configuration on loopback
# with policy.yaml and logs/ beside FILE.
write_runtime_config() {
  cat > "$1" <<CONFIG
proxy:
  listen: 127.0.0.1:$2
admin:
  listen: 127.0.0.1:$3
policy: policy.yaml
access-log:
  dir: logs
CONFIG
}

# write_ut1_policy BASE_POLICY UT1_DIR OUT: BASE_POLICY (a policy with `categories:`, `matrix:` and
# `default:` sections, in that order) with the whole UT1 collection in UT1_DIR added as a pupil
# policy: every UT1 category a category of its own, the harmful ones unacceptable, the rest
# acceptable; domains, urls and expressions all loaded. For issue 12's "all of UT1 against the
# banned list alone".
UNACCEPTABLE_UT1=" adult agressif arjel bitcoin chat cryptojacking dangerous_material dating ddos dialer doh drogue dynamic-dns fakenews filehosting gambling games hacking lingerie malware marketingware mixed_adult phishing publicite redirector remote-control residential-proxies sect shortener stalkerware strict_redirector strong_redirector tricheur tricheur_pix vpn warez "
write_ut1_policy() {
  local base=$1 ut1=$2 out=$3 d c l
  [ -d "$ut1/adult" ] || { echo "UT1_DIR=$ut1 has no adult/ (expected: UT1's blacklists directory)" >&2; exit 1; }
  {
    sed -n '/^categories:/q;p' "$base"
    printf 'lists:\n  - name: ut1\n    format: squidguard\n    path: %s\n' "$ut1"
    sed -n '/^categories:/,/^matrix:/{/^matrix:/!p}' "$base"
    for d in "$ut1"/*/; do c=$(basename "$d"); echo "  ut1-$c: { sources: [ut1/$c] }"; done
    sed -n '/^matrix:/,/^default:/{/^default:/!p}' "$base"
    for d in "$ut1"/*/; do
      c=$(basename "$d")
      case "$UNACCEPTABLE_UT1" in *" $c "*) l=unacceptable ;; *) l=acceptable ;; esac
      echo "  ut1-$c: { default: $l }"
    done
    sed -n '/^default:/,$p' "$base"
  } > "$out"
}
