#!/usr/bin/env python3
"""Summarise a JFR recording's CPU samples as text: where the cycles go.

Usage: jfr_top.py RECORDING.jfr [FROM TO]   (FROM/TO: HH:MM:SS wall-clock times, optional)

Runs `jfr print --events jdk.ExecutionSample` (JDK 17+), keeps samples of the proxy's event
loops (threads named schoolgate-worker-*), optionally only between FROM and TO, and prints
the top frames by self time and the share of samples whose stack passes through each layer
(decoding, deciding, TLS, socket I/O, ...). Used for the profiles in benchmarks/README.md.
"""
import collections
import re
import subprocess
import sys

LAYERS = [
    ("socket read/write (JNI, kernel)", ("io.netty.channel.epoll.Native", "io.netty.channel.unix.FileDescriptor", "sun.nio.ch.", "io.netty.channel.epoll.LinuxSocket", "io.netty.channel.unix.Socket")),
    ("epoll wait / selector", ("io.netty.channel.epoll.Native.epollWait", "sun.nio.ch.EPoll", "io.netty.channel.nio.SelectedSelectionKeySetSelector")),
    ("HTTP decode", ("io.netty.handler.codec.http.HttpObjectDecoder",)),
    ("HTTP encode", ("io.netty.handler.codec.http.HttpObjectEncoder",)),
    ("deciding (RequestDecider, policy)", ("org.schoolgate.proxy.filter", "org.schoolgate.policy")),
    ("URL parsing (UrlParser)", ("org.schoolgate.policy.url",)),
    ("front / upstream handlers", ("org.schoolgate.proxy.http.FrontHandler", "org.schoolgate.proxy.upstream")),
    ("tunnel checks (ClientHello)", ("org.schoolgate.proxy.tls",)),
    ("access log (exchange recording)", ("org.schoolgate.proxy.log",)),
    ("TLS (BoringSSL / JDK)", ("io.netty.handler.ssl", "io.netty.internal.tcnative", "sun.security.ssl")),
    ("LittleProxy", ("org.littleshoot.proxy",)),
    ("connect / channel set-up", ("io.netty.bootstrap", "io.netty.channel.AbstractChannel$AbstractUnsafe.register", "io.netty.channel.DefaultChannelPipeline.<init>")),
    ("tunnel switch and relay", ("org.schoolgate.proxy.tunnel",)),
    ("DNS (DnsService)", ("org.schoolgate.proxy.dns",)),
    ("idle handlers (IdleStateHandler)", ("io.netty.handler.timeout",)),
    ("pipeline add/remove", ("io.netty.channel.DefaultChannelPipeline.add", "io.netty.channel.DefaultChannelPipeline.remove", "io.netty.channel.DefaultChannelPipeline.replace")),
    ("auto-read toggling (epoll_ctl)", ("io.netty.channel.epoll.Native.epollCtlMod",)),
    ("promise listeners", ("io.netty.util.concurrent.DefaultPromise.notifyListener",)),
    ("close", ("io.netty.channel.AbstractChannel$AbstractUnsafe.close",)),
]


def main():
    path = sys.argv[1]
    lo = sys.argv[2] if len(sys.argv) > 3 else None
    hi = sys.argv[3] if len(sys.argv) > 3 else None
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", path],
                         capture_output=True, text=True, check=True).stdout
    self_counts = collections.Counter()
    layer_counts = collections.Counter()
    inclusive = collections.Counter()
    total = 0
    for event in out.split("jdk.ExecutionSample")[1:]:
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        if not thread or not thread.group(1).startswith("schoolgate-worker"):
            continue
        when = re.search(r"startTime = (\d\d:\d\d:\d\d)", event)
        if lo and when and not (lo <= when.group(1) <= hi):
            continue
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if not frames:
            continue
        total += 1
        self_counts[frames[0]] += 1
        for f in set(frames):
            if f.startswith("org.schoolgate."):
                inclusive[f] += 1
        for name, prefixes in LAYERS:
            if any(f.startswith(p) for f in frames for p in prefixes):
                layer_counts[name] += 1
    report(f"{total} samples on schoolgate-worker threads", total, self_counts, inclusive,
           layer_counts)


def report(title, total, self_counts, ours, layer_counts):
    """Prints the summary both profile readers give: top self frames, our methods, layers."""
    print(title)
    print("top frames (self):")
    for frame, n in self_counts.most_common(15):
        print(f"  {100.0 * n / max(total, 1):5.1f}%  {frame}")
    print("our methods on the stack (inclusive):")
    for frame, n in ours.most_common(12):
        print(f"  {100.0 * n / max(total, 1):5.1f}%  {frame}")
    print("stacks through (inclusive; layers overlap):")
    for name, n in layer_counts.most_common():
        print(f"  {100.0 * n / max(total, 1):5.1f}%  {name}")


if __name__ == "__main__":
    main()
