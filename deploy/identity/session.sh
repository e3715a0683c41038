#!/bin/sh
# Schoolgate logon/logoff report for Linux and macOS machines (a PAM session hook, a login/logout
# hook, or an MDM script):   session.sh start [user]   |   session.sh end [user]
# Reports the caller's own address; a Wi-Fi controller or MDM that reports for other machines adds
# "address" (and needs its network in identity.sessions.reporters). The token belongs to an account
# with the role identity-source only (see logon.ps1 for the set-up).
set -eu
SCHOOLGATE="${SCHOOLGATE:-https://filter.school.example}"
TOKEN_FILE="${SCHOOLGATE_TOKEN_FILE:-/etc/schoolgate/identity.token}"
MINUTES="${SCHOOLGATE_MINUTES:-600}"
action="${1:?usage: session.sh start|end [user]}"
user="${2:-${PAM_USER:-${USER:-}}}"
[ -n "$user" ] || { echo "session.sh: no user name (give one, or set PAM_USER/USER)" >&2; exit 2; }
token=$(cat "$TOKEN_FILE")
# --noproxy: straight to Schoolgate, so it sees this machine's address, not the proxy's.
case "$action" in
  start)
    body=$(printf '{"user":"%s","minutes":%s}' "$(printf '%s' "$user" | sed 's/\\/\\\\/g; s/"/\\"/g')" "$MINUTES")
    curl --noproxy '*' -fsS --max-time 10 -X POST "$SCHOOLGATE/api/v1/identity/sessions" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" >/dev/null ;;
  end)
    curl --noproxy '*' -fsS --max-time 10 -G -X DELETE "$SCHOOLGATE/api/v1/identity/sessions" \
      --data-urlencode "user=$user" -H "Authorization: Bearer $token" >/dev/null ;;
  *) echo "session.sh: '$action' is not start or end" >&2; exit 2 ;;
esac
