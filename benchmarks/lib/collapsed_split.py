#!/usr/bin/env python3
"""Split an async-profiler collapsed file (threads on) of the proxy's event loops by concern.

Usage: collapsed_split.py FILE.collapsed [REQUESTS] [--alloc]

Each sample of a schoolgate-worker thread goes to one concern: kernel samples by system call,
the others to the deepest frame on the stack that names a concern (so JDK helpers count for
whoever called them, and a handler's own work is told apart from the Netty calls it makes).
With REQUESTS (the requests served while profiling), prints microseconds per request for a cpu
profile (one sample = 1 ms of CPU at interval=1ms) or bytes per request for an alloc profile
(collapsed with 'total'). Used for the round 7 keep-alive split in benchmarks/README.md.
"""
import collections
import sys

# (concern, substrings): the deepest frame containing one of the substrings decides
CONCERNS = [
    ("access log: event and queue", ["proxy/log/Exchanges.complete", "proxy/log/AccessLog.",
                                     "proxy/log/Exchange.toEvent", "proxy/log/Exchange.<init>"]),
    ("access log: exchange recorder", ["proxy/log/ExchangeRecorder"]),
    ("decide: RequestDecider and policy", ["proxy/filter/RequestDecider", "schoolgate/policy/"]),
    ("decide: Decisions (exchange, pages, metrics)", ["proxy/filter/Decisions",
                                                      "proxy/filter/ExchangeFacts",
                                                      "proxy/metrics"]),
    ("identify", ["proxy/identity", "schoolgate/identity"]),
    ("destination check", ["proxy/filter/DestinationCheck", "proxy/destination"]),
    ("DNS (cached answer)", ["proxy/dns"]),
    ("upstream pool", ["proxy/upstream/LoopPool", "proxy/upstream/Upstreams", "Upstream.release",
                       "Upstream.attach"]),
    ("forward headers", ["proxy/http/ForwardHeaders"]),
    ("HTTP decode (request)", ["StrictRequestDecoder", "RequestCodec", "HttpRequestDecoder"]),
    ("HTTP decode (response)", ["HttpResponseDecoder", "HttpClientCodec$Decoder",
                                "HttpObjectDecoder"]),
    ("HTTP encode", ["HttpObjectEncoder", "ResponseEncoder", "HttpRequestEncoder",
                     "HttpResponseEncoder", "MessageToMessageEncoder", "HttpClientCodec$Encoder"]),
    ("guard", ["proxy/http/RequestGuard"]),
    ("front and relay (ours)", ["schoolgate/proxy/http/", "schoolgate/proxy/upstream/"]),
    ("timers (idle, head)", ["IdleStateHandler.channelReadComplete", "IdleStateHandler.initialize",
                             "ScheduledFutureTask", "AbstractScheduledEventExecutor"]),
    ("Netty buffers", ["io/netty/buffer"]),
    ("Netty pipeline", ["AbstractChannelHandlerContext", "DefaultChannelPipeline",
                        "ChannelOutboundBuffer", "ChannelDuplexHandler",
                        "ChannelInboundHandlerAdapter"]),
    ("Netty transport and loop", ["io/netty/channel", "io/netty/util/concurrent",
                                  "io/netty/util/internal"]),
]
# anywhere on the stack: Netty's leak detector (a stack trace per tracked buffer)
ANYWHERE = [("Netty leak detector", ["ResourceLeakDetector"])]
SYSCALLS = [
    ("send/write", ["sendto", "writev", "sendmsg", "ksys_write", "tcp_sendmsg"]),
    ("recv/read", ["recvfrom", "ksys_read", "tcp_recvmsg", "readv"]),
    ("epoll_wait", ["epoll_wait", "epoll_pwait"]),
    ("epoll_ctl", ["epoll_ctl"]),
    ("io_uring", ["io_uring"]),
]


def concern(frames, alloc):
    if not alloc and frames[-1].endswith("_[k]"):
        stack = ";".join(frames)
        for name, pats in SYSCALLS:
            if any(p in stack for p in pats):
                return "kernel", name
        return "kernel", "other"
    for name, pats in ANYWHERE:
        if any(p in f for f in frames for p in pats):
            return name, None
    for f in reversed(frames):
        for name, pats in CONCERNS:
            if any(p in f for p in pats):
                return name, None
    return ("other" if alloc else "JVM and native glue"), None


def main():
    args = [a for a in sys.argv[1:] if a != "--alloc"]
    alloc = "--alloc" in sys.argv
    requests = float(args[1]) if len(args) > 1 else None
    total = 0
    concerns = collections.Counter()
    kernel = collections.Counter()
    with open(args[0]) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            if "schoolgate-worker" not in frames[0] or len(frames) < 2:
                continue
            n = int(n)
            total += n
            name, call = concern(frames[1:], alloc)
            concerns[name] += n
            if call:
                kernel[call] += n
    unit = "bytes" if alloc else "samples"
    print(f"{total} {unit} on schoolgate-worker threads")
    for name, n in concerns.most_common():
        per = ""
        if requests:
            per = f"  {n / requests:.0f} B/request" if alloc else f"  {1000 * n / requests:.2f} µs/request"
        print(f"  {100 * n / total:5.1f}%  {name}{per}")
    if kernel:
        print("kernel by call: " + ", ".join(f"{k} {100 * v / total:.1f}%" for k, v in kernel.most_common()))


if __name__ == "__main__":
    main()
