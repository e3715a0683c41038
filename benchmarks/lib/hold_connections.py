#!/usr/bin/env python3
"""Opens N keep-alive connections to a proxy, sends one request on each, reads its answer, and
holds them all idle until stdin closes (or SIGTERM). Source addresses rotate over 127.0.1.1 ..
127.0.1.K so no one address goes over the proxy's per-client limit.

Usage: hold_connections.py PROXY_PORT N URL [ADDRESSES]   (prints "holding N" when ready)
"""
import selectors
import socket
import sys


def main():
    port, n, url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    addresses = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    host = url.split("/")[2]
    request = f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    held = []
    for i in range(n):
        s = socket.socket()
        s.bind((f"127.0.1.{1 + i % addresses}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(request)
        held.append(s)
    answered = 0
    sel = selectors.DefaultSelector()
    for s in held:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    seen = {}
    while answered < n:
        for key, _ in sel.select(timeout=30):
            data = key.fileobj.recv(65536)
            if not data:
                raise SystemExit("a held connection was closed by the proxy")
            got = seen.get(key.fd, b"") + data
            seen[key.fd] = got
            if b"\r\n\r\n" in got:
                sel.unregister(key.fileobj)
                answered += 1
    print(f"holding {n}", flush=True)
    sys.stdin.read()
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
