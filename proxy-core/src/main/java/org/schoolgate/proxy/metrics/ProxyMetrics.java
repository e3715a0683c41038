package org.schoolgate.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.schoolgate.policy.Action;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Level;
import org.schoolgate.policy.TunnelCheck;

/**
 * The proxy's meter catalogue: every meter is registered here, once, at start-up. The request
 * path only increments precreated meters (no lookup, no tag allocation).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><td>{@value #REQUESTS}</td><td>counter</td><td>action, level, group</td></tr>
 *   <tr><td>{@value #REJECTED}</td><td>counter</td><td>reason</td></tr>
 *   <tr><td>{@value #DECISION_LATENCY}</td><td>timer</td><td></td></tr>
 *   <tr><td>{@value #FAIL_CLOSED}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@value #CONNECTIONS_ACTIVE}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@value #ACCESS_LOG_QUEUE_DEPTH}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@value #ACCESS_LOG_DROPPED}</td><td>counter</td><td>cause (queue-full, write-failed,
 *       encode-failed, closed)</td></tr>
 *   <tr><td>{@value #ACCESS_LOG_FAILING}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@value #ACCESS_LOG_OUTAGES}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@value #DNS_CACHE_HITS}, {@value #DNS_CACHE_MISSES}, {@value #DNS_FAILURES}</td>
 *       <td>counters</td><td></td></tr>
 *   <tr><td>{@value #UPSTREAM_ERRORS}</td><td>counter</td><td>kind (dns, connect, timeout)</td></tr>
 *   <tr><td>{@value #HOST_CONFLICT}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@value #TUNNEL_CHECKS}</td><td>counter</td><td>check (port, ip-literal,
 *       sni-mismatch, missing-sni, not-tls, ech), action (allow, block)</td></tr>
 *   <tr><td>{@value #SAFESEARCH}</td><td>counter</td><td>target (google, youtube-strict,
 *       youtube-moderate, bing, duckduckgo), via (tunnel, http)</td></tr>
 *   <tr><td>{@value #CONNECTIONS_REFUSED}</td><td>counter</td><td>reason (total, per-client)</td></tr>
 *   <tr><td>{@value #UPSTREAM_CONNECTIONS}</td><td>counter</td><td>outcome (opened, reused)</td></tr>
 *   <tr><td>{@value #INTERCEPTIONS}</td><td>counter</td><td>outcome</td></tr>
 *   <tr><td>{@value #DESTINATION_REFUSED}</td><td>counter</td><td>kind (proxy-host, link-local,
 *       metadata, reserved, internal, unchecked)</td></tr>
 *   <tr><td>{@value #CA_LEAVES_GENERATED}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@value #CA_LEAF_GENERATION}</td><td>timer</td><td></td></tr>
 *   <tr><td>{@value #EXPORT_LINES}</td><td>counter</td><td>export (squid, syslog)</td></tr>
 *   <tr><td>{@value #EXPORT_DROPPED}</td><td>counter</td><td>export (squid, syslog), cause
 *       (queue-full, failed)</td></tr>
 *   <tr><td>{@value #CONTENT_RESPONSES}</td><td>counter</td><td>outcome (analysed, logged,
 *       alerted, blocked, cut, lifted, failed-open, failed-closed)</td></tr>
 *   <tr><td>{@value #CONTENT_HELD_BYTES}</td><td>gauge</td><td></td></tr>
 * </table>
 *
 * <p>Group tags come from the policy's groups (a small fixed set) plus {@code unknown}; the
 * counter table is rebuilt when a reloaded policy changes the group set.
 */
public final class ProxyMetrics {
  private static final int ACTIONS = Action.values().length;
  public static final String REQUESTS = "schoolgate.requests";
  public static final String REJECTED = "schoolgate.requests.rejected";
  public static final String DECISION_LATENCY = "schoolgate.decision.latency";
  public static final String FAIL_CLOSED = "schoolgate.decision.failclosed";
  public static final String CONNECTIONS_ACTIVE = "schoolgate.connections.active";
  public static final String ACCESS_LOG_QUEUE_DEPTH = "schoolgate.accesslog.queue.depth";
  /** Access events lost, by cause: every event offered is written or counted here. */
  public static final String ACCESS_LOG_DROPPED = "schoolgate.accesslog.dropped";
  /** 1 while the access log cannot be written (an outage), else 0. */
  public static final String ACCESS_LOG_FAILING = "schoolgate.accesslog.failing";
  /** Access-log outages begun (a write failed after writing worked). */
  public static final String ACCESS_LOG_OUTAGES = "schoolgate.accesslog.outages";
  public static final String DNS_CACHE_HITS = "schoolgate.dns.cache.hits";
  public static final String DNS_CACHE_MISSES = "schoolgate.dns.cache.misses";
  public static final String DNS_FAILURES = "schoolgate.dns.failures";
  public static final String UPSTREAM_ERRORS = "schoolgate.upstream.errors";
  /** Absolute-form requests whose Host header names another host than the request-target. */
  public static final String HOST_CONFLICT = "schoolgate.requests.host.conflict";
  /** Bodies content analysis read, and what came of them. */
  public static final String CONTENT_RESPONSES = "schoolgate.content.responses";
  /** Body pieces waiting for a content-analysis thread. */
  public static final String CONTENT_EXECUTOR_QUEUED = "schoolgate.content.executor.queued";
  /** Body pieces held in responses' analysis lanes on the event loops (the one being analysed included). */
  public static final String CONTENT_EXECUTOR_WAITING = "schoolgate.content.executor.waiting";
  /** Hand-offs to content analysis that its full queues refused (the analysis failed: closed or open). */
  public static final String CONTENT_EXECUTOR_REJECTED = "schoolgate.content.executor.rejected";
  /** Responses told to be a file kind a group may not download, by what came of them and the kind. */
  public static final String DOWNLOADS = "schoolgate.downloads";
  /** Responses whose first bytes were held to tell their file kind (the peek). */
  public static final String DOWNLOAD_PEEKS = "schoolgate.downloads.peeks";
  /** Coded (gzip, deflate, Brotli) response bytes decoded for content analysis and download checks. */
  public static final String CONTENT_DECODED_BYTES = "schoolgate.content.decoded.bytes";
  /** Coded bodies decoded twice (a download peek decoded more than it could hand on to the analysis). */
  public static final String CONTENT_REDECODED = "schoolgate.content.redecoded";
  /** Brotli native decoders alive now (one per Brotli body being read). */
  public static final String CONTENT_BROTLI_LIVE = "schoolgate.content.brotli.live";
  /** Brotli native decoders destroyed by the cleaner because they were never closed (should stay 0). */
  public static final String CONTENT_BROTLI_LEAKED = "schoolgate.content.brotli.leaked";
  /** Response bytes held back from clients while content analysis decides (the look-ahead). */
  public static final String CONTENT_HELD_BYTES = "schoolgate.content.held.bytes";

  /**
   * Tunnel checks that fired (a closed port, an IP literal, a ClientHello that failed a check),
   * by check and by what the policy did about it.
   */
  public static final String TUNNEL_CHECKS = "schoolgate.tunnel.checks";

  /**
   * Requests and tunnels connected to a safe variant of the site (safesearch), by safe target and
   * by whether it was a tunnel or plain HTTP (where the query or header was also rewritten).
   */
  public static final String SAFESEARCH = "schoolgate.safesearch.rewrites";

  /**
   * Intercepted tunnels (decrypted with the school CA, {@code interception:}), by outcome: taken
   * over, handed back untouched (the server name changed the choice), the leaf certificate could
   * not be made, the client refused our certificate, an origin's certificate was invalid.
   */
  public static final String INTERCEPTIONS = "schoolgate.interceptions";

  /**
   * Connections refused by the destination check (the address connected to: the proxy host,
   * link-local, a metadata name, reserved, internal; unchecked: no policy or the check failed).
   */
  public static final String DESTINATION_REFUSED = "schoolgate.destination.refused";

  /** What became of a tunnel chosen for interception (or of an origin connection inside one). */
  public enum Interception {
    INTERCEPTED("intercepted"),
    PASSED_THROUGH("passed-through"),
    LEAF_FAILED("leaf-failed"),
    CLIENT_HANDSHAKE_FAILED("client-handshake-failed"),
    UPSTREAM_CERTIFICATE_INVALID("upstream-certificate-invalid");

    final String tag;

    Interception(String tag) {
      this.tag = tag;
    }
  }
  /** Leaf certificates the school's CA signed for intercepted hosts (cache misses and renewals). */
  public static final String CA_LEAVES_GENERATED = "schoolgate.ca.leaves.generated";

  /** Time to make one leaf certificate and its TLS context, on the CA's executor. */
  public static final String CA_LEAF_GENERATION = "schoolgate.ca.leaf.generation";

  /** Access-log lines written to an export (the squid-format file, syslog). */
  public static final String EXPORT_LINES = "schoolgate.accesslog.export.lines";

  /** Access-log lines an export lost: its queue was full, or writing or sending failed. */
  public static final String EXPORT_DROPPED = "schoolgate.accesslog.export.dropped";

  /** Where the access log is copied besides its JSON lines. */
  public enum LogExport {
    SQUID("squid"),
    SYSLOG("syslog");

    final String tag;

    LogExport(String tag) {
      this.tag = tag;
    }
  }

  /** Why an export lost a line. */
  public enum ExportLoss {
    QUEUE_FULL("queue-full"),
    FAILED("failed");

    final String tag;

    ExportLoss(String tag) {
      this.tag = tag;
    }
  }

  /** Client connections closed on arrival because a limit was reached, by which limit. */
  public static final String CONNECTIONS_REFUSED = "schoolgate.connections.refused";

  /** Upstream connections used for a request: newly opened, or reused from a loop's pool. */
  public static final String UPSTREAM_CONNECTIONS = "schoolgate.upstream.connections";

  /** Which connection limit refused a client. */
  public enum Refusal {
    TOTAL("total"),
    PER_CLIENT("per-client");

    final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }
  }

  /** Group tag for requests decided without a known group. */
  public static final String UNKNOWN_GROUP = "unknown";

  /** Why an access event was lost instead of written. */
  public enum AccessLogDrop {
    /** The queue to the writer thread was full. */
    QUEUE_FULL("queue-full"),
    /** The day file could not be opened or written (a full or failing disk): the whole batch is lost. */
    WRITE_FAILED("write-failed"),
    /** The event could not be turned into JSON (a bug). */
    ENCODE_FAILED("encode-failed"),
    /** Offered after the log was closed (shutdown). */
    CLOSED("closed");

    final String tag;

    AccessLogDrop(String tag) {
      this.tag = tag;
    }

    /** The {@code cause} tag. */
    public String tag() {
      return tag;
    }
  }

  /** Why a request was answered without a policy decision. */
  public enum Rejection {
    NOT_A_CLIENT("not-a-client"),
    BAD_REQUEST("bad-request"),
    URI_TOO_LONG("uri-too-long"),
    HEADER_TIMEOUT("header-timeout"),
    /** 407: the client's network asks for proxy sign-in and none (or a wrong one) was sent. */
    SIGN_IN_REQUIRED("sign-in-required"),
    /** 503: sign-in is required and nobody can check it now (fail closed). */
    IDENTITY_UNAVAILABLE("identity-unavailable"),
    /**
     * The client's network requires the sign-in page and nobody has signed in there: a plain
     * request is sent to the page (302), anything else refused (403).
     */
    SIGN_IN_PAGE("sign-in-page");

    final String tag;

    Rejection(String tag) {
      this.tag = tag;
    }
  }

  /** Why the destination check refused a connection. */
  public enum DestinationRefusal {
    PROXY_HOST("proxy-host"),
    LINK_LOCAL("link-local"),
    METADATA("metadata"),
    RESERVED("reserved"),
    INTERNAL("internal"),
    /** A personally owned device (device: personal) asked for anything but the internet. */
    PERSONAL_DEVICE("personal-device"),
    UNCHECKED("unchecked");

    final String tag;

    DestinationRefusal(String tag) {
      this.tag = tag;
    }

    /** The metric tag, e.g. {@code proxy-host}. */
    public String tag() {
      return tag;
    }
  }

  /** What came of a body content analysis read. */
  public enum ContentOutcome {
    /** Read (every analysed body counts here once). */
    ANALYSED("analysed"),
    LOGGED("logged"),
    ALERTED("alerted"),
    /** Replaced by the block page before anything was forwarded. */
    BLOCKED("blocked"),
    /** Ended early after part of it was forwarded (a later match, a stream). */
    CUT("cut"),
    /** A block lifted to an alert by the allow list, an unblock or a bypass. */
    LIFTED("lifted"),
    /** Analysed off the event loop from some point on (long, or the loop busy). */
    MOVED("moved-off-loop"),
    /** Analysis failed and the body passed (the group only logs or alerts). */
    FAILED_OPEN("failed-open"),
    /** Analysis failed and the body was blocked (the group has block rules). */
    FAILED_CLOSED("failed-closed"),
    /**
     * The analysis threw (an {@code Error} such as a stack overflow, or a bug): that response's
     * analysis failed (also counted failed-open or failed-closed); the thread goes on.
     */
    ERROR("analysis-error");

    final String tag;

    ContentOutcome(String tag) {
      this.tag = tag;
    }
  }

  /** What came of a response of a file kind its group may not download. */
  public enum DownloadOutcome {
    /** Answered with the block page, told from the headers (no body byte read). */
    BLOCKED_BY_HEADERS("blocked-headers"),
    /** Answered with the block page, told from the body's first bytes (held, never sent). */
    BLOCKED_BY_BYTES("blocked-bytes"),
    /** Let through (and logged): the allow list, an unblock of the site or a bypass covers it. */
    LIFTED("lifted");

    final String tag;

    DownloadOutcome(String tag) {
      this.tag = tag;
    }
  }

  /** What went wrong talking to an origin. */
  public enum UpstreamError {
    DNS("dns"),
    CONNECT("connect"),
    TIMEOUT("timeout");

    final String tag;

    UpstreamError(String tag) {
      this.tag = tag;
    }
  }

  /** The safe variant a request was connected to. */
  public enum SafeSearch {
    GOOGLE("google"),
    YOUTUBE_STRICT("youtube-strict"),
    YOUTUBE_MODERATE("youtube-moderate"),
    BING("bing"),
    DUCKDUCKGO("duckduckgo");

    final String tag;

    SafeSearch(String tag) {
      this.tag = tag;
    }
  }

  private final MeterRegistry registry;
  private final Timer decisionLatency;
  private final Counter failClosed;
  private final Counter[] accessLogDropped;
  private final Counter accessLogOutages;
  private final Counter dnsHits;
  private final Counter dnsMisses;
  private final Counter dnsFailures;
  private final Counter hostConflicts;
  private final Counter[] rejected;
  private final Counter[] upstreamErrors;
  private final Counter[] tunnelChecks;
  private final Counter[] safeSearch;
  private final Counter[] interceptions;
  private final Counter[] refused;
  private final Counter upstreamOpened;
  private final Counter upstreamReused;
  private final Counter[] destinationRefused;
  private final Counter leavesGenerated;
  private final Counter[] exportLines;
  private final Counter[] exportDropped;
  private final Timer leafGeneration;
  private final AtomicInteger activeConnections = new AtomicInteger();
  private final Counter[] content;
  private final Counter[] downloads;
  private final Counter downloadPeeks;
  private final org.schoolgate.proxy.content.HeldBytes held = new org.schoolgate.proxy.content.HeldBytes();
  private volatile RequestTable requests;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    decisionLatency = Timer.builder(DECISION_LATENCY)
        .description("Time to identify the client and decide a request").register(registry);
    failClosed = Counter.builder(FAIL_CLOSED)
        .description("Requests blocked because no policy was usable or deciding failed")
        .register(registry);
    accessLogDropped = new Counter[AccessLogDrop.values().length];
    for (AccessLogDrop d : AccessLogDrop.values()) {
      accessLogDropped[d.ordinal()] = Counter.builder(ACCESS_LOG_DROPPED)
          .description("Access events lost instead of written, by cause").tag("cause", d.tag).register(registry);
    }
    accessLogOutages = Counter.builder(ACCESS_LOG_OUTAGES)
        .description("Access-log outages begun: a write failed after writing worked").register(registry);
    dnsHits = Counter.builder(DNS_CACHE_HITS).register(registry);
    dnsMisses = Counter.builder(DNS_CACHE_MISSES).register(registry);
    dnsFailures = Counter.builder(DNS_FAILURES).register(registry);
    hostConflicts = Counter.builder(HOST_CONFLICT)
        .description("Requests whose Host header differs from the request-target's host")
        .register(registry);
    rejected = new Counter[Rejection.values().length];
    for (Rejection r : Rejection.values()) {
      rejected[r.ordinal()] = Counter.builder(REJECTED).tag("reason", r.tag).register(registry);
    }
    upstreamErrors = new Counter[UpstreamError.values().length];
    for (UpstreamError e : UpstreamError.values()) {
      upstreamErrors[e.ordinal()] =
          Counter.builder(UPSTREAM_ERRORS).tag("kind", e.tag).register(registry);
    }
    tunnelChecks = new Counter[TunnelCheck.values().length * Action.values().length];
    for (TunnelCheck c : TunnelCheck.values()) {
      for (Action a : Action.values()) {
        tunnelChecks[c.ordinal() * Action.values().length + a.ordinal()] = Counter.builder(TUNNEL_CHECKS)
            .description("CONNECT tunnel checks that fired, by check and action")
            .tag("check", c.configName()).tag("action", a.logName()).register(registry);
      }
    }
    safeSearch = new Counter[SafeSearch.values().length * 2];
    for (SafeSearch t : SafeSearch.values()) {
      for (int via = 0; via < 2; via++) {
        safeSearch[t.ordinal() * 2 + via] = Counter.builder(SAFESEARCH)
            .description("Requests and tunnels connected to a site's safe variant")
            .tag("target", t.tag).tag("via", via == 0 ? "tunnel" : "http").register(registry);
      }
    }
    interceptions = new Counter[Interception.values().length];
    for (Interception i : Interception.values()) {
      interceptions[i.ordinal()] = Counter.builder(INTERCEPTIONS)
          .description("Tunnels chosen for interception, by outcome")
          .tag("outcome", i.tag).register(registry);
    }
    refused = new Counter[Refusal.values().length];
    for (Refusal r : Refusal.values()) {
      refused[r.ordinal()] = Counter.builder(CONNECTIONS_REFUSED)
          .description("Client connections closed on arrival by a connection limit")
          .tag("reason", r.tag).register(registry);
    }
    upstreamOpened = Counter.builder(UPSTREAM_CONNECTIONS).tag("outcome", "opened")
        .description("Upstream connections used for a request, new or from the pool")
        .register(registry);
    upstreamReused = Counter.builder(UPSTREAM_CONNECTIONS).tag("outcome", "reused")
        .description("Upstream connections used for a request, new or from the pool")
        .register(registry);
    destinationRefused = new Counter[DestinationRefusal.values().length];
    for (DestinationRefusal r : DestinationRefusal.values()) {
      destinationRefused[r.ordinal()] = Counter.builder(DESTINATION_REFUSED)
          .description("Connections refused by the destination check, by kind of address")
          .tag("kind", r.tag).register(registry);
    }
    leavesGenerated = Counter.builder(CA_LEAVES_GENERATED)
        .description("Leaf certificates signed by the school's CA for intercepted hosts").register(registry);
    leafGeneration = Timer.builder(CA_LEAF_GENERATION)
        .description("Time to make one leaf certificate and its TLS context").register(registry);
    exportLines = new Counter[LogExport.values().length];
    exportDropped = new Counter[LogExport.values().length * ExportLoss.values().length];
    for (LogExport x : LogExport.values()) {
      exportLines[x.ordinal()] = Counter.builder(EXPORT_LINES)
          .description("Access-log lines written to an export").tag("export", x.tag).register(registry);
      for (ExportLoss l : ExportLoss.values()) {
        exportDropped[x.ordinal() * ExportLoss.values().length + l.ordinal()] = Counter.builder(EXPORT_DROPPED)
            .description("Access-log lines an export lost, by cause").tag("export", x.tag).tag("cause", l.tag)
            .register(registry);
      }
    }
    content = new Counter[ContentOutcome.values().length];
    for (ContentOutcome o : ContentOutcome.values()) {
      content[o.ordinal()] = Counter.builder(CONTENT_RESPONSES)
          .description("Bodies content analysis read, and what came of them").tag("outcome", o.tag)
          .register(registry);
    }
    downloads = new Counter[DownloadOutcome.values().length * org.schoolgate.policy.download.FileKind.ALL.size()];
    for (DownloadOutcome o : DownloadOutcome.values()) {
      for (org.schoolgate.policy.download.FileKind k : org.schoolgate.policy.download.FileKind.ALL) {
        downloads[o.ordinal() * org.schoolgate.policy.download.FileKind.ALL.size() + k.ordinal()] =
            Counter.builder(DOWNLOADS).description("Responses of a file kind a group may not download")
                .tag("outcome", o.tag).tag("kind", k.configName()).register(registry);
      }
    }
    downloadPeeks = Counter.builder(DOWNLOAD_PEEKS)
        .description("Responses whose first bytes were held to tell their file kind").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(CONTENT_DECODED_BYTES, org.schoolgate.proxy.content.DecoderCounts.class,
        m -> (double) org.schoolgate.proxy.content.DecoderCounts.decodedBytes()).baseUnit("bytes")
        .description("Coded response bytes decoded for content analysis and download checks").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(CONTENT_REDECODED, org.schoolgate.proxy.content.DecoderCounts.class,
        m -> (double) org.schoolgate.proxy.content.DecoderCounts.redecodedBodies())
        .description("Coded bodies decoded twice: the download peek decoded more than it could hand on")
        .register(registry);
    Gauge.builder(CONTENT_BROTLI_LIVE, org.schoolgate.proxy.content.DecoderCounts.class, m -> (double) org.schoolgate.proxy.content.DecoderCounts.liveBrotliDecoders())
        .description("Brotli native decoders alive now").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(CONTENT_BROTLI_LEAKED, org.schoolgate.proxy.content.DecoderCounts.class,
        m -> (double) org.schoolgate.proxy.content.DecoderCounts.leakedBrotliDecoders())
        .description("Brotli native decoders destroyed by the cleaner because they were never closed")
        .register(registry);
    Gauge.builder(CONTENT_HELD_BYTES, held, org.schoolgate.proxy.content.HeldBytes::now)
        .description("Response bytes held back from clients while content analysis decides")
        .strongReference(true).register(registry);
    Gauge.builder(CONNECTIONS_ACTIVE, activeConnections, AtomicInteger::get)
        .description("Open client connections").register(registry);
    requests = new RequestTable(registry, List.of());
  }

  /** Registers the access log queue depth gauge. */
  public void bindAccessLogQueue(IntSupplier depth) {
    // strongReference: the supplier is a lambda nobody else holds; a weak gauge would read NaN.
    Gauge.builder(ACCESS_LOG_QUEUE_DEPTH, depth, d -> d.getAsInt()).strongReference(true)
        .description("Access events waiting for the writer thread").register(registry);
  }

  /** Registers the gauge that is 1 while the access log cannot be written. */
  public void bindAccessLogFailing(java.util.function.BooleanSupplier failing) {
    Gauge.builder(ACCESS_LOG_FAILING, failing, f -> f.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while the access log cannot be written, else 0").register(registry);
  }

  /**
   * Precreates request counters for {@code groups}, keeping those of groups seen before (the
   * registry keeps a meter once registered, and a request decided by the previous policy may
   * still count). Called at start and by the reload thread, never per request; cheap when every
   * group already has its counters.
   */
  public synchronized void ensureGroups(List<GroupId> groups) {
    RequestTable table = requests;
    if (!table.groups.containsAll(groups)) {
      java.util.LinkedHashSet<GroupId> all = new java.util.LinkedHashSet<>(table.groups);
      all.addAll(groups);
      requests = new RequestTable(registry, List.copyOf(all));
    }
  }

  /** Counts one decided request. {@code group} may be null (unknown). */
  public void request(Action action, Level level, GroupId group) {
    requests.counter(action, level, group).increment();
  }

  public void decisionLatency(long nanos) {
    decisionLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void failClosed() {
    failClosed.increment();
  }

  public void rejected(Rejection reason) {
    rejected[reason.ordinal()].increment();
  }

  public void upstreamError(UpstreamError kind) {
    upstreamErrors[kind.ordinal()].increment();
  }

  /** Counts one tunnel check that fired and what the policy did. */
  public void tunnelCheck(TunnelCheck check, Action action) {
    tunnelChecks[check.ordinal() * ACTIONS + action.ordinal()].increment(); // values() copies
  }

  /** Counts one request ({@code tunnel}: a CONNECT) connected to the safe variant {@code target}. */
  public void safeSearch(SafeSearch target, boolean tunnel) {
    safeSearch[target.ordinal() * 2 + (tunnel ? 0 : 1)].increment();
  }

  /** Counts one content-analysis outcome. */
  public void content(ContentOutcome outcome) {
    content[outcome.ordinal()].increment();
  }

  /**
   * Registers the analysis executor's meters: {@value #CONTENT_EXECUTOR_QUEUED} (pieces waiting
   * for its threads) and {@value #CONTENT_EXECUTOR_REJECTED} (hand-offs its full queues refused).
   * Call once at start.
   */
  public void contentExecutor(org.schoolgate.proxy.content.AnalysisExecutor executor) {
    Gauge.builder(CONTENT_EXECUTOR_QUEUED, executor, org.schoolgate.proxy.content.AnalysisExecutor::queued)
        .description("Body pieces waiting for a content-analysis thread").strongReference(true).register(registry);
    Gauge.builder(CONTENT_EXECUTOR_WAITING, executor, e -> (double) e.waitingPieces())
        .description("Body pieces held in responses' analysis lanes on the event loops").strongReference(true)
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(CONTENT_EXECUTOR_REJECTED, executor,
        e -> (double) e.rejected()).description("Hand-offs to content analysis its full queues refused")
        .register(registry);
  }

  /** Counts one response of a file kind its group may not download. */
  public void download(DownloadOutcome outcome, org.schoolgate.policy.download.FileKind kind) {
    downloads[outcome.ordinal() * org.schoolgate.policy.download.FileKind.ALL.size() + kind.ordinal()].increment();
  }

  /** Counts one response whose first bytes were held to tell its file kind. */
  public void downloadPeek() {
    downloadPeeks.increment();
  }

  /** The bytes content analysis holds back (the {@value #CONTENT_HELD_BYTES} gauge reads it). */
  public org.schoolgate.proxy.content.HeldBytes heldBytes() {
    return held;
  }

  /** Counts one interception outcome. */
  public void interception(Interception outcome) {
    interceptions[outcome.ordinal()].increment();
  }

  /** Counts one client connection a limit refused. */
  public void connectionRefused(Refusal reason) {
    refused[reason.ordinal()].increment();
  }

  /** Counts one upstream connection used: {@code reused} from a pool, else newly opened. */
  public void upstreamConnection(boolean reused) {
    (reused ? upstreamReused : upstreamOpened).increment();
  }

  /** Counts one leaf certificate made (with its TLS context) in {@code nanos}. */
  public void leafGenerated(long nanos) {
    leavesGenerated.increment();
    leafGeneration.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void destinationRefused(DestinationRefusal kind) {
    destinationRefused[kind.ordinal()].increment();
  }

  public void hostConflict() {
    hostConflicts.increment();
  }

  /** Counts one line written to (or sent by) {@code export}. */
  public void exported(LogExport export) {
    exportLines[export.ordinal()].increment();
  }

  /** Counts one line {@code export} lost, and why. */
  public void exportDropped(LogExport export, ExportLoss cause) {
    exportDropped[export.ordinal() * ExportLoss.values().length + cause.ordinal()].increment();
  }

  /** Counts {@code events} access events lost for {@code cause}. */
  public void accessLogDropped(AccessLogDrop cause, long events) {
    accessLogDropped[cause.ordinal()].increment(events);
  }

  /** Counts an access-log outage begun. */
  public void accessLogOutage() {
    accessLogOutages.increment();
  }

  public void dnsHit() {
    dnsHits.increment();
  }

  public void dnsMiss() {
    dnsMisses.increment();
  }

  public void dnsFailure() {
    dnsFailures.increment();
  }

  public void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  /** Counters per (action, level, group), built once per group set. */
  private static final class RequestTable {
    private static final int LEVELS = Level.values().length;
    private final List<GroupId> groups;
    private final Map<GroupId, Counter[]> byGroup = new HashMap<>();
    private final Counter[] unknown;

    RequestTable(MeterRegistry registry, List<GroupId> groups) {
      this.groups = List.copyOf(groups);
      for (GroupId g : this.groups) {
        byGroup.put(g, cells(registry, g.value()));
      }
      unknown = cells(registry, UNKNOWN_GROUP);
    }

    private static Counter[] cells(MeterRegistry registry, String group) {
      Counter[] cells = new Counter[Action.values().length * LEVELS];
      for (Action a : Action.values()) {
        for (Level l : Level.values()) {
          cells[a.ordinal() * LEVELS + l.ordinal()] = Counter.builder(REQUESTS)
              .description("Requests decided by the policy")
              .tag("action", a.logName())
              .tag("level", l.configName())
              .tag("group", group)
              .register(registry);
        }
      }
      return cells;
    }

    Counter counter(Action action, Level level, GroupId group) {
      Counter[] cells = group == null ? unknown : byGroup.getOrDefault(group, unknown);
      return cells[action.ordinal() * LEVELS + level.ordinal()];
    }
  }
}
