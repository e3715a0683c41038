#!/usr/bin/env python3
"""Summarise an async-profiler collapsed-stacks file (with threads) as text, like jfr_top.py.

Usage: collapsed_top.py FILE.collapsed

Unlike JFR's execution samples, async-profiler's cpu samples include native and kernel frames
(system calls, epoll, TCP), so this shows where a tunnel's cycles go in the kernel as well. Keeps
the samples of the proxy's event loops (threads named schoolgate-worker-*) and prints the top
frames by self time, our methods on the stack, and the share of samples through each layer
(jfr_top.LAYERS plus kernel layers).
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jfr_top import LAYERS, report  # noqa: E402

KERNEL_LAYERS = [
    ("kernel: TCP connect/accept/close", ("tcp_v4_connect", "inet_accept", "__sys_accept4", "tcp_close", "__sys_connect", "inet_release")),
    ("kernel: socket send", ("tcp_sendmsg", "__sys_sendto", "__sys_sendmsg", "do_writev")),
    ("kernel: socket receive", ("tcp_recvmsg", "__sys_recvfrom", "ksys_read", "do_readv")),
    ("kernel: epoll_ctl", ("do_epoll_ctl",)),
    ("kernel: epoll_wait", ("do_epoll_wait",)),
    ("kernel: splice", ("do_splice", "__do_splice", "splice_")),
    ("JIT/GC/VM (not Java)", ("[gc", "G1", "CompileBroker")),
]


def main():
    self_counts = collections.Counter()
    layer_counts = collections.Counter()
    ours = collections.Counter()
    total = 0
    with open(sys.argv[1]) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            if not frames or "schoolgate-worker" not in frames[0]:
                continue
            n = int(n)
            frames = frames[1:]
            if not frames:
                continue
            total += n
            leaf = frames[-1]
            self_counts[leaf.replace("_[j]", "").replace("_[i]", "")] += n
            names = [x.replace("/", ".").rsplit("_[", 1)[0] for x in frames]
            for x in set(names):
                if x.startswith("org.schoolgate."):
                    ours[x] += n
            for name, prefixes in LAYERS + KERNEL_LAYERS:
                if any(x.startswith(p) for x in names for p in prefixes):
                    layer_counts[name] += n
    report(f"{total} samples on schoolgate-worker threads (async-profiler, cpu, with kernel frames)",
           total, self_counts, ours, layer_counts)

if __name__ == "__main__":
    main()
