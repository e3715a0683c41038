#!/usr/bin/env python3
"""Request-level mutation smoke test for Schoolgate (driven by benchmarks/mutation-smoke.sh).

Two roles, both on loopback only:

  mutation_smoke.py origin PORT
      a small HTTP/1.1 origin: answers every request it can read with 200 (keep-alive, some
      answers chunked), a WebSocket upgrade with 101 and then echoes, and closes on anything else.

  mutation_smoke.py drive --proxy HOST:PORT --origin-port N --count N [--concurrency N] [--seed N]
                         [--max-seconds N]
      sends COUNT cases through the proxy, each on its own connection: a request (or several,
      pipelined) built from a template and then mutated - request line, headers, bodies, chunked
      framing, CONNECT, pipelining, oversized fields, bad UTF-8, smuggling shapes, truncation,
      bytes split across writes - and reads whatever comes back. Prints one JSON summary line:
      cases, requests, answers by status, cases without an answer, connections the proxy closed,
      resets, and how long the slowest first byte took (a stalled event loop shows there).

Deterministic for a given --seed. Bounded in count and time: every connection has a deadline
(5 s for the first byte, 8 s in all), and no case starts after --max-seconds (default 3600).
"""
import asyncio
import json
import random
import re
import sys
import time

ORIGIN_HOST = "origin.smoke.test"
BLOCKED_HOST = "bet.smoke.test"
STATUS = re.compile(rb"HTTP/1\.[01] (\d{3})")


# ---------------------------------------------------------------------------------- origin ---
async def origin_connection(reader, writer):
    try:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            if len(head) > 65536:
                break
            lower = head.lower()
            length = re.search(rb"\r\ncontent-length:\s*(\d{1,7})\r\n", lower)
            if b"transfer-encoding:" in lower and b"chunked" in lower:
                while True:
                    size_line = await asyncio.wait_for(reader.readuntil(b"\r\n"), 30)
                    size = int(size_line.split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        await asyncio.wait_for(reader.readuntil(b"\r\n"), 30)
                        break
                    await asyncio.wait_for(reader.readexactly(size + 2), 30)
            elif length:
                await asyncio.wait_for(reader.readexactly(int(length.group(1))), 30)
            if b"\r\nupgrade: websocket" in lower:
                writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                while True:
                    data = await asyncio.wait_for(reader.read(65536), 30)
                    if not data:
                        return
                    writer.write(data)
                    await writer.drain()
            if head.startswith(b"HEAD "):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
            elif len(head) % 3 == 0:
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n")
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
            ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def run_origin(port):
    server = await asyncio.start_server(origin_connection, "127.0.0.1", port, limit=1 << 20)
    async with server:
        await server.serve_forever()


# ------------------------------------------------------------------------------- templates ---
def templates(origin_port):
    o = f"{ORIGIN_HOST}:{origin_port}"
    return [
        ("get", f"GET http://{o}/page?q=1 HTTP/1.1\r\nHost: {o}\r\nUser-Agent: smoke\r\nAccept: */*\r\n\r\n"),
        ("get-close", f"GET http://{o}/close HTTP/1.1\r\nHost: {o}\r\nConnection: close\r\n\r\n"),
        ("get-1.0", f"GET http://{o}/old HTTP/1.0\r\n\r\n"),
        ("head", f"HEAD http://{o}/head HTTP/1.1\r\nHost: {o}\r\n\r\n"),
        ("blocked", f"GET http://{BLOCKED_HOST}/ HTTP/1.1\r\nHost: {BLOCKED_HOST}\r\n\r\n"),
        ("blocked-path", f"GET http://{o}/games/x HTTP/1.1\r\nHost: {o}\r\n\r\n"),
        ("search", f"GET http://www.google.com/search?q=how+to+kill+myself HTTP/1.1\r\nHost: www.google.com\r\n\r\n"),
        ("post-length", f"POST http://{o}/form HTTP/1.1\r\nHost: {o}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nq=hello+you"),
        ("post-chunked", f"POST http://{o}/up HTTP/1.1\r\nHost: {o}\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"),
        ("expect", f"PUT http://{o}/put HTTP/1.1\r\nHost: {o}\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody"),
        ("connect-allowed", f"CONNECT {o} HTTP/1.1\r\nHost: {o}\r\n\r\n\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03" + "\x00" * 32 + "\x00\x00\x02\x13\x01\x01\x00"),
        ("connect-blocked", f"CONNECT {BLOCKED_HOST}:443 HTTP/1.1\r\nHost: {BLOCKED_HOST}:443\r\n\r\n"),
        ("connect-ip", "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n"),
        ("connect-port", f"CONNECT {ORIGIN_HOST}:25 HTTP/1.1\r\n\r\n"),
        ("websocket", f"GET http://{o}/ws HTTP/1.1\r\nHost: {o}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nping"),
        ("origin-form", f"GET /relative HTTP/1.1\r\nHost: {o}\r\n\r\n"),
        ("options", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
    ]


# ------------------------------------------------------------------------------- mutations ---
SMUGGLING_HEADERS = [
    b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
    b"Content-Length: 4\r\nContent-Length: 40\r\n",
    b"Transfer-Encoding: xchunked\r\n",
    b"Transfer-Encoding : chunked\r\n",
    b"Transfer-Encoding: chunked, identity\r\n",
    b"Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding:\tchunked\r\n",
    b"Content-Length: -1\r\n",
    b"Content-Length: 0x10\r\n",
    b"Content-Length: 99999999999999999999\r\n",
    b"X-Folded: a\r\n b\r\n",
    b"Host: other.smoke.test\r\n",
    b"Transfer-Encoding: gzip\r\n",
]
BAD_BYTES = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x00", b"\r", b"\n", b"\x7f", b"\xe2\x80\xae", b"%00", b"%", b"\\"]


def header_end(data):
    i = data.find(b"\r\n\r\n")
    return len(data) if i < 0 else i + 2


def mutate(rnd, data):
    kind = rnd.randrange(22)
    if kind == 0:  # flip bits
        b = bytearray(data)
        for _ in range(rnd.randint(1, 4)):
            if b:
                b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
        return bytes(b), "bitflip"
    if kind == 1:  # insert bad bytes
        i = rnd.randrange(len(data) + 1)
        return data[:i] + rnd.choice(BAD_BYTES) + data[i:], "bad-bytes"
    if kind == 2:  # delete a span
        i = rnd.randrange(len(data) + 1)
        return data[:i] + data[i + rnd.randint(1, 16):], "delete"
    if kind == 3:  # truncate
        return data[: rnd.randrange(len(data) + 1)], "truncate"
    if kind == 4:  # over-long request target
        return data.replace(b" HTTP/1.", b"/" + b"a" * rnd.choice([8100, 8200, 20000]) + b" HTTP/1.", 1), "long-uri"
    if kind == 5:  # over-large header
        h = header_end(data)
        return data[:h] + b"X-Big: " + b"b" * rnd.choice([8000, 17000, 70000]) + b"\r\n" + data[h:], "big-header"
    if kind == 6:  # many headers
        h = header_end(data)
        return data[:h] + b"".join(b"X-H%d: v\r\n" % k for k in range(rnd.choice([100, 1000]))) + data[h:], "many-headers"
    if kind == 7:  # smuggling shape
        h = header_end(data)
        return data[:h] + rnd.choice(SMUGGLING_HEADERS) + data[h:] + b"0\r\n\r\nGET http://" + BLOCKED_HOST.encode() + b"/smuggled HTTP/1.1\r\nHost: x\r\n\r\n", "smuggle"
    if kind == 8:  # bare LF line endings
        return data.replace(b"\r\n", b"\n"), "bare-lf"
    if kind == 9:  # method mangling
        sp = data.find(b" ")
        return rnd.choice([b"get", b"G ET", b"\xc3\xa9T", b"X" * 300, b"", b"PRI", b"TRACE", b"DELETE"]) + data[max(sp, 0):], "method"
    if kind == 10:  # version mangling
        return re.sub(rb"HTTP/1\.[01]", rnd.choice([b"HTTP/2.0", b"HTTP/1.1 x", b"HTTP/1", b"HTTP/9.9", b"http/1.1", b"HTTP/1.1\x00"]), data, count=1), "version"
    if kind == 11:  # URL spelling
        return data.replace(b"http://" + ORIGIN_HOST.encode(), rnd.choice([
            b"http://ORIGIN.Smoke.Test.", b"http://user:pw@" + ORIGIN_HOST.encode(), b"http://%6frigin.smoke.test",
            b"http:\\\\" + ORIGIN_HOST.encode(), b"http://[::ffff:127.0.0.1]", b"http://2130706433",
            b"HTTP://" + ORIGIN_HOST.encode() + b"/a/../b/%2e%2e/", b"http://xn--.smoke.test", b"http://\xe1\xb2\x80.test",
            b"ftp://" + ORIGIN_HOST.encode(), b"http://" + b"a" * 300 + b".test"]), 1), "url"
    if kind == 12:  # chunk framing
        return data.replace(b"5;x=1\r\n", rnd.choice([b"fffffffffffffffff\r\n", b"-5\r\n", b"5 ;\r\n", b"z\r\n", b"5\n", b"0x5\r\n"]), 1), "chunk"
    if kind == 13:  # duplicate a header line
        lines = data[: header_end(data)].split(b"\r\n")
        if len(lines) > 2:
            j = rnd.randrange(1, len(lines) - 1)
            lines.insert(j, lines[j])
        return b"\r\n".join(lines) + data[header_end(data):], "dup-header"
    if kind == 14:  # header without colon / with spaces
        h = header_end(data)
        return data[:h] + rnd.choice([b"Bad Header\r\n", b": empty-name\r\n", b"X-Sp ace: v\r\n", b"X-Ctl: a\x01b\r\n"]) + data[h:], "bad-header"
    if kind == 15:  # leading empty lines / garbage
        return rnd.choice([b"\r\n\r\n", b"   ", b"\x16\x03\x01", b"\x00\x00"]) + data, "prefix"
    if kind == 16:  # body longer or shorter than declared
        return data + b"x" * rnd.choice([1, 100, 5000]), "extra-body"
    if kind == 17:  # Connection / Upgrade games
        h = header_end(data)
        return data[:h] + rnd.choice([b"Connection: close, Upgrade\r\nUpgrade: h2c\r\n", b"Proxy-Connection: close\r\n",
                                      b"Connection: keep-alive\r\nKeep-Alive: timeout=1\r\n", b"Upgrade: websocket\r\n"]) + data[h:], "connection"
    if kind == 18:  # bad UTF-8 in the target
        return data.replace(b"/page", b"/p\xc3\x28ge\xf0\x9f", 1).replace(b"/form", b"/\xff\xfe", 1), "utf8-target"
    if kind == 19:  # random bytes
        return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 200))), "random"
    if kind == 20:  # splice two templates
        i = rnd.randrange(len(data) + 1)
        return data[:i] + data[rnd.randrange(len(data) + 1):], "splice"
    return data, "none"


def make_case(rnd, temps):
    name, text = rnd.choice(temps)
    data = text.encode("latin-1")
    requests = 1
    if rnd.random() < 0.15:  # pipelining
        extra = rnd.randint(1, 4)
        for _ in range(extra):
            data += rnd.choice(temps)[1].encode("latin-1")
        requests += extra
    applied = []
    for _ in range(rnd.choice([0, 1, 1, 1, 2, 3])):
        data, m = mutate(rnd, data)
        applied.append(m)
    pieces = 1 if rnd.random() < 0.6 else rnd.randint(2, 5)
    return name, applied, data, requests, pieces


# ---------------------------------------------------------------------------------- driver ---
async def one_case(proxy, rnd_seed, temps, stats):
    rnd = random.Random(rnd_seed)
    name, applied, data, requests, pieces = make_case(rnd, temps)
    half_close = rnd.random() < 0.3
    host, port = proxy
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    except (OSError, asyncio.TimeoutError):
        stats["connect_failures"] += 1
        return
    received = b""
    try:
        cuts = sorted(rnd.sample(range(1, len(data)), min(pieces - 1, max(len(data) - 1, 0)))) if len(data) > 1 else []
        start = 0
        for cut in cuts + [len(data)]:
            writer.write(data[start:cut])
            await writer.drain()
            start = cut
            if cut != len(data):
                await asyncio.sleep(0.001)
        if half_close and writer.can_write_eof():
            writer.write_eof()
        sent_at = time.monotonic()
        deadline = sent_at + 8.0
        while time.monotonic() < deadline:
            wait = 5.0 if not received else 0.5
            try:
                chunk = await asyncio.wait_for(reader.read(65536), min(wait, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                break
            if not chunk:
                stats["closed_by_proxy"] += 1
                break
            if not received:
                first = time.monotonic() - sent_at
                stats["first_byte_max_s"] = round(max(stats["first_byte_max_s"], first), 2)
                stats["first_byte_over_2s"] += first > 2.0
            received += chunk
            if len(received) > 4 << 20:
                break
    except (ConnectionError, OSError):
        stats["resets"] += 1
    finally:
        writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 2)
        except (ConnectionError, OSError, asyncio.TimeoutError):
            pass
    stats["cases"] += 1
    stats["requests"] += requests
    statuses = STATUS.findall(received)
    if not statuses:
        stats["no_answer"] += 1
    for s in statuses:
        stats["status"][s.decode()] = stats["status"].get(s.decode(), 0) + 1
    for m in applied or ["none"]:
        stats["mutations"][m] = stats["mutations"].get(m, 0) + 1
    stats["templates"][name] = stats["templates"].get(name, 0) + 1


async def drive(proxy, origin_port, count, concurrency, seed, max_seconds):
    temps = templates(origin_port)
    stats = {"cases": 0, "requests": 0, "no_answer": 0, "closed_by_proxy": 0, "resets": 0,
             "connect_failures": 0, "first_byte_max_s": 0.0, "first_byte_over_2s": 0,
             "status": {}, "mutations": {}, "templates": {}}
    queue = asyncio.Queue()
    for k in range(count):
        queue.put_nowait(seed * 1_000_003 + k)
    started = time.monotonic()

    async def worker():
        while time.monotonic() - started < max_seconds:
            try:
                case_seed = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await one_case(proxy, case_seed, temps, stats)
            done = stats["cases"]
            if done % 10000 == 0 and done:
                print(f"  {done} cases, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    stats["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(stats, sort_keys=True))


def main(argv):
    if len(argv) >= 2 and argv[0] == "origin":
        asyncio.run(run_origin(int(argv[1])))
        return 0
    if argv and argv[0] == "drive":
        opts = dict(zip(argv[1::2], argv[2::2]))
        try:
            host, port = opts["--proxy"].rsplit(":", 1)
            origin_port = int(opts["--origin-port"])
            count = int(opts["--count"])
            concurrency = int(opts.get("--concurrency", "64"))
            seed = int(opts.get("--seed", "1"))
            max_seconds = int(opts.get("--max-seconds", "3600"))
        except (KeyError, ValueError) as e:
            print(f"mutation_smoke.py drive: bad or missing option ({e}); expected --proxy HOST:PORT"
                  " --origin-port N --count N [--concurrency N] [--seed N] [--max-seconds N]", file=sys.stderr)
            return 2
        asyncio.run(drive((host, int(port)), origin_port, count, concurrency, seed, max_seconds))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
