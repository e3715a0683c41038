#!/usr/bin/env bash
# ut1-fixture.sh - rebuilds the trimmed UT1 fixture the tests use
# (policy-engine/src/test/resources/org/schoolgate/policy/testing/ut1) from the full feed in the
# shared data folder. Deterministic: every N-th line of each list in the feed's own order, plus the
# lines naming the hosts the tests ask about. Run it only when the feed or the fixture's choice of
# categories changes, then commit the result; the tests never read the shared folder.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${SCHOOLGATE_SHARED_DIR:-$ROOT/../shared}"
FEED="$SHARED/data/ut1/blacklists"
OUT="$ROOT/policy-engine/src/test/resources/org/schoolgate/policy/testing/ut1"

if [ ! -d "$FEED" ]; then
  echo "ut1-fixture.sh: $FEED is missing (expected: the shared data folder beside the project, or SCHOOLGATE_SHARED_DIR)" >&2
  exit 1
fi

# Hosts the tests name: kept in every list of the fixture that has them.
KEEP="bet365.com williamhill.com facebook.com teams.microsoft.com youtube.com nordvpn.com astrolabio.net/casino/"

# category  domains-step  urls-step  (1 = every line; - = leave the file out). The first block is
# what the list tests use; the second completes the UT1 categories the sample policy names.
# adult's domains are left out: the shared copy is a GPL-3.0 subset, not UT1's own file.
CATEGORIES="
gambling 20 1
arjel 1 1
games 25 15
social_networks 1 1
blog 3 1
forums 1 1
chat 1 1
audio-video 6 1
vpn 8 1
redirector 100 1
strict_redirector 100 1
strong_redirector 100 1
malware 100 60
publicite 8 1
special 1 1
shopping 50 1
adult - 50
mixed_adult 1 1
agressif 2 1
dangerous_material 1 1
sect 1 1
fakenews 5 1
lingerie 1 1
dating 25 1
drogue 3 3
residential-proxies 1 1
doh 12 1
warez 6 1
phishing 1000 100
stalkerware 2 1
hacking 1 1
ddos 2 1
cryptojacking 50 1
dialer 1 1
educational_games 1 1
filehosting 4 1
webmail 2 1
radio 2 1
"

# trim FILE STEP [IP_STEP]: every STEP-th line (from the first), the KEEP lines, and with IP_STEP
# every IP_STEP-th IPv4 line too.
trim() {
  zcat "$1" | awk -v step="$2" -v ipstep="${3:-0}" -v keep="$KEEP" '
    BEGIN { n = split(keep, k, " "); for (i = 1; i <= n; i++) wanted[k[i]] = 1 }
    /^[0-9.]+$/ { ips++ }
    (NR - 1) % step == 0 || ($0 in wanted) || (ipstep > 0 && /^[0-9.]+$/ && (ips - 1) % ipstep == 0)'
}

rm -rf "$OUT/blacklists"
mkdir -p "$OUT/blacklists"
printf 'category\tdomains\turls\n' > "$OUT/CATEGORIES.tsv"
echo "$CATEGORIES" | LC_ALL=C sort | while read -r category dstep ustep; do
  [ -n "$category" ] || continue
  dir="$OUT/blacklists/$category"
  mkdir -p "$dir"
  domains=0
  if [ "$dstep" = - ]; then
    :
  elif [ "$category" = malware ]; then
    trim "$FEED/$category/domains.gz" "$dstep" 20 > "$dir/domains"
  else
    trim "$FEED/$category/domains.gz" "$dstep" > "$dir/domains"
  fi
  [ -f "$dir/domains" ] && domains=$(wc -l < "$dir/domains")
  urls=0
  if [ -f "$FEED/$category/urls.gz" ] && [ -n "$(zcat "$FEED/$category/urls.gz" | head -c1)" ]; then
    trim "$FEED/$category/urls.gz" "$ustep" > "$dir/urls"
    urls=$(wc -l < "$dir/urls")
  fi
  if [ -f "$FEED/$category/expressions.gz" ]; then
    zcat "$FEED/$category/expressions.gz" > "$dir/expressions"
  fi
  printf '%s\t%s\t%s\n' "$category" "$domains" "$urls" >> "$OUT/CATEGORIES.tsv"
done
du -sb "$OUT" | awk '{ printf "fixture: %d bytes\n", $1 }'
