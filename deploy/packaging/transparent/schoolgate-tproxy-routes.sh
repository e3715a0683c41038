#!/bin/sh
# Policy routing for schoolgate-tproxy.nft (and the .iptables/.ip6tables files): packets marked
# 0x5347 are delivered to local sockets (Schoolgate's transparent listeners), whatever their
# destination address, for IPv4 and, where the machine has IPv6, for IPv6. Run once at boot
# (e.g. from the network configuration); idempotent. Remove with: schoolgate-tproxy-routes.sh del
set -eu
MARK=0x5347
TABLE=100
# IPv6 is there unless the kernel was started without it (ipv6.disable=1)
if [ -e /proc/net/if_inet6 ]; then FAMILIES="-4 -6"; else FAMILIES="-4"; fi
if [ "${1:-add}" = del ]; then
  for f in $FAMILIES; do
    ip "$f" rule del fwmark "$MARK" lookup "$TABLE" 2>/dev/null || true
    ip "$f" route flush table "$TABLE" 2>/dev/null || true
  done
  exit 0
fi
for f in $FAMILIES; do
  ip "$f" rule list | grep -q "fwmark $MARK lookup $TABLE" \
    || ip "$f" rule add fwmark "$MARK" lookup "$TABLE"
done
ip -4 route replace local 0.0.0.0/0 dev lo table "$TABLE"
case "$FAMILIES" in
  *-6*) ip -6 route replace local ::/0 dev lo table "$TABLE" ;;
esac
