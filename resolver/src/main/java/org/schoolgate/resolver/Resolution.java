package org.schoolgate.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.log.DnsEvent;
import org.schoolgate.resolver.judge.Answer;
import org.schoolgate.resolver.judge.QueryJudge;
import org.schoolgate.resolver.judge.Verdict;
import org.schoolgate.resolver.limit.ClientRateLimiter;
import org.schoolgate.resolver.metrics.ResolverMetrics;
import org.schoolgate.resolver.metrics.ResolverMetrics.Outcome;
import org.schoolgate.resolver.upstream.Upstream;
import org.schoolgate.resolver.upstream.UpstreamResult;
import org.schoolgate.resolver.wire.BadQuery;
import org.schoolgate.resolver.wire.Replies;
import org.schoolgate.resolver.wire.UdpResponse;

/**
 * One query's life, on the resolver's event loop: rate limit → well-formed? → {@link QueryJudge}
 * (the policy snapshot, read once) → an answer made here, or the upstream's (cache or query,
 * answered later on the same loop) → the meters and one access-log event (queued before the reply
 * is written, so a client that has its answer finds the line once the log is flushed) → the reply. Nothing
 * here blocks or waits: the judge reads memory, the upstream is asynchronous, the access log
 * queues.
 */
final class Resolution {
  private final Supplier<PolicySnapshot> policy;
  private final QueryJudge judge;
  private final Upstream upstream;
  private final ClientRateLimiter limiter;
  private final BlockAnswer blockAnswer;
  private final long blockTtl;
  private final QueryLog log;
  private final ResolverMetrics metrics;
  private final Clock clock;
  private final Ticker ticker;

  Resolution(Supplier<PolicySnapshot> policy, QueryJudge judge, Upstream upstream, ClientRateLimiter limiter,
      DnsFilterConfig config, QueryLog log, ResolverMetrics metrics, Clock clock, Ticker ticker) {
    this.policy = policy;
    this.judge = judge;
    this.upstream = upstream;
    this.limiter = limiter;
    this.blockAnswer = config.blockAnswer();
    this.blockTtl = config.blockTtl().toSeconds();
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
    this.ticker = ticker;
  }

  /** A decoded query from UDP ({@code udp}) or TCP. */
  void query(ChannelHandlerContext ctx, DatagramDnsQuery query, boolean udp) {
    long started = ticker.read();
    Replies.Asked a = Replies.Asked.of(query, udp);
    int qtype = a.question() == null ? 0 : a.question().type().intValue();
    if (!limiter.tryAcquire(a.client().getAddress())) {
      metrics.query(Outcome.RATE_LIMITED, qtype);
      return;
    }
    if (query.opCode() != DnsOpCode.QUERY) {
      metrics.query(Outcome.MALFORMED, qtype);
      ctx.writeAndFlush(Replies.empty(a, DnsResponseCode.NOTIMP));
      return;
    }
    if (query.count(DnsSection.QUESTION) != 1) {
      metrics.query(Outcome.MALFORMED, qtype);
      ctx.writeAndFlush(Replies.empty(a, DnsResponseCode.FORMERR));
      return;
    }
    DnsQuestion question = a.question();
    String name = normalise(question.name());
    Instant time = clock.instant();
    PolicySnapshot snapshot = policy.get();
    ZoneId zone = snapshot == null ? ZoneOffset.UTC : snapshot.timezone();
    Verdict verdict = judge.judge(snapshot, a.client().getAddress(), name, qtype, question.dnsClass(), time);
    Event event = new Event(a, udp ? "udp" : "tcp", name, qtype, verdict, time, zone, started);
    if (verdict instanceof Verdict.Reply reply) {
      reply(ctx, event, reply);
      return;
    }
    Verdict.Forward forward = (Verdict.Forward) verdict;
    upstream.resolve(name, qtype, result -> forwarded(ctx, event, forward, result));
  }

  /** Bytes Netty could not read as a query: FORMERR, or dropped when it was no query at all. */
  void bad(ChannelHandlerContext ctx, BadQuery bad) {
    if (!limiter.tryAcquire(bad.sender().getAddress())) {
      metrics.query(Outcome.RATE_LIMITED, 0);
      return;
    }
    metrics.query(Outcome.MALFORMED, 0);
    if (bad.answerable()) {
      ctx.writeAndFlush(Replies.formErr(bad));
    }
  }

  private void reply(ChannelHandlerContext ctx, Event e, Verdict.Reply reply) {
    Replies.Asked a = e.asked;
    UdpResponse response = switch (reply.answer()) {
      case BLOCK_ADDRESS -> Replies.blockAddress(a, (BlockAnswer.Address) blockAnswer, blockTtl);
      case NXDOMAIN -> Replies.negative(a, DnsResponseCode.NXDOMAIN, blockTtl);
      case NODATA -> Replies.negative(a, DnsResponseCode.NOERROR, blockTtl);
      case REFUSED -> Replies.empty(a, DnsResponseCode.REFUSED);
      case SERVFAIL -> Replies.empty(a, DnsResponseCode.SERVFAIL);
    };
    metrics.query("block".equals(reply.action()) ? Outcome.BLOCK : Outcome.REJECT, e.qtype);
    log(e, reply.answer().logName(), response.code().intValue(), 0, reply.reason());
    ctx.writeAndFlush(response);
  }

  private void forwarded(ChannelHandlerContext ctx, Event e, Verdict.Forward forward, UpstreamResult result) {
    if (result instanceof UpstreamResult.Answered answered) {
      Verdict second = judge.judgeAnswer(policy.get(), e.asked.client().getAddress(), forward, e.name, e.qtype,
          answered.answer(), e.time);
      if (second instanceof Verdict.Reply reply) {
        reply(ctx, new Event(e.asked, e.transport, e.name, e.qtype, reply, e.time, e.zone, e.started), reply);
        return;
      }
    }
    metrics.query(Outcome.ALLOW, e.qtype);
    if (result instanceof UpstreamResult.Answered answered) {
      Replies.Served served = Replies.fromAnswer(e.asked, answered.answer(), ticker.read(),
          forward.withholdServiceBindings());
      if (served.stripped() > 0) {
        metrics.stripped(served.stripped());
      }
      log(e, answered.fromCache() ? "cache" : "upstream", answered.answer().rcode(), served.stripped(),
          forward.reason());
      ctx.writeAndFlush(served.response());
    } else {
      log(e, Answer.SERVFAIL.logName(), DnsResponseCode.SERVFAIL.intValue(), 0,
          ((UpstreamResult.Failed) result).reason());
      ctx.writeAndFlush(Replies.empty(e.asked, DnsResponseCode.SERVFAIL));
    }
  }

  private void log(Event e, String answer, int rcode, int stripped, String reason) {
    Verdict v = e.verdict;
    List<String> categories = v.categories();
    log.offer(new DnsEvent(e.time, e.zone, e.asked.client().getAddress().getHostAddress(), v.user(),
        v.group() == null ? null : v.group().value(), e.transport, e.name, qtypeName(e.qtype), categories,
        v.action(), v.level(), v.rule(), reason, answer, rcodeName(rcode), stripped,
        (ticker.read() - e.started) / 1_000_000L));
  }

  /** Lower case, without the trailing dot ({@code "."}, the root, becomes {@code ""}). */
  static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** The type's mnemonic ({@code A}, {@code HTTPS}), or {@code TYPE<n>} (RFC 3597) when Netty has none. */
  static String qtypeName(int type) {
    String name = DnsRecordType.valueOf(type).name();
    return "UNKNOWN".equals(name) ? "TYPE" + type : name;
  }

  static String rcodeName(int rcode) {
    return switch (rcode) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      default -> "RCODE" + rcode;
    };
  }

  /** What the access-log event of a query needs, gathered as it arrives. */
  private record Event(Replies.Asked asked, String transport, String name, int qtype, Verdict verdict,
      Instant time, ZoneId zone, long started) {}
}
