#!/bin/sh
# Policy routing for schoolgate-tproxy.nft: packets marked 0x5347 are delivered to local sockets
# (Schoolgate's transparent listeners), whatever their destination address. Run once at boot
# (e.g. from the network configuration); idempotent. Remove with: schoolgate-tproxy-routes.sh del
set -eu
MARK=0x5347
TABLE=100
if [ "${1:-add}" = del ]; then
  ip rule del fwmark "$MARK" lookup "$TABLE" 2>/dev/null || true
  ip route flush table "$TABLE" 2>/dev/null || true
  exit 0
fi
ip rule list | grep -q "fwmark $MARK lookup $TABLE" || ip rule add fwmark "$MARK" lookup "$TABLE"
ip route replace local 0.0.0.0/0 dev lo table "$TABLE"
