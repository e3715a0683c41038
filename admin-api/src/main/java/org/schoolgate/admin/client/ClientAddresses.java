package org.schoolgate.admin.client;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.schoolgate.admin.explain.InputException;
import org.schoolgate.admin.explain.Inputs;
import org.schoolgate.admin.metrics.AdminMetrics;
import org.schoolgate.admin.metrics.AdminMetrics.ForwardingIgnored;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client address of an admin request, resolved once per request (Javalin {@code
 * beforeMatched}, before the guard) and read by everything that names an address: sign-in
 * throttling, the audit trail, sessions.
 *
 * <ul>
 *   <li>A request carrying the Schoolgate proxy's key ({@value #PROXY_KEY_HEADER}, compared in
 *       constant time) is from the proxy, which strips what clients sent and adds {@code
 *       Forwarded: for="<client>"}: the last {@code for=} is the client.
 *   <li>A request whose TCP peer is in {@code admin.trusted-proxies}: the chain of {@code
 *       Forwarded} (or, without it, {@code X-Forwarded-For}) is walked from the nearest hop, and
 *       the first hop that is not itself a trusted proxy is the client.
 *   <li>Anyone else: the TCP peer. Forwarding headers they send (or a wrong key) are ignored,
 *       counted in {@code schoolgate.admin.forwarding.ignored{reason}} and logged the first time.
 * </ul>
 *
 * A trusted hop that names no usable address ({@code unknown}, garbage) leaves the nearest
 * trusted address as the client and is counted as {@code malformed}.
 */
public final class ClientAddresses {
  /** The header the Schoolgate proxy sends its per-process key in. */
  public static final String PROXY_KEY_HEADER = "X-Schoolgate-Proxy-Key";
  private static final String ATTRIBUTE = "schoolgate.client-address";
  private static final List<String> FORWARDING = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");
  private static final Logger log = LoggerFactory.getLogger(ClientAddresses.class);

  private final ForwardingTrust trust;
  private final byte[] keyDigest;
  private final AdminMetrics metrics;
  private final Map<ForwardingIgnored, AtomicBoolean> logged = new EnumMap<>(ForwardingIgnored.class);

  public ClientAddresses(ForwardingTrust trust, AdminMetrics metrics) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.keyDigest = trust.proxyKey() == null ? null : sha256(trust.proxyKey());
    for (ForwardingIgnored reason : ForwardingIgnored.values()) {
      logged.put(reason, new AtomicBoolean());
    }
  }

  /** The {@code beforeMatched} handler: resolves the request's client address and keeps it on the request. */
  public void attach(Context ctx) {
    ctx.attribute(ATTRIBUTE, resolve(ctx.req().getRemoteAddr(), ctx.header(PROXY_KEY_HEADER),
        headers(ctx, "Forwarded"), headers(ctx, "X-Forwarded-For"), hasForwarding(ctx)));
  }

  /** The client address {@link #attach} resolved; the TCP peer when it did not run. */
  public static String of(Context ctx) {
    String address = ctx.attribute(ATTRIBUTE);
    return address != null ? address : peer(ctx.req().getRemoteAddr());
  }

  /** The client address of one request; package-private for tests. */
  String resolve(String remoteAddr, String proxyKey, List<String> forwarded, List<String> xForwardedFor,
      boolean anyForwarding) {
    String peerText = peer(remoteAddr);
    Optional<InetAddress> peer = ForwardedFor.node(peerText);
    if (proxyKey != null) {
      if (keyDigest != null && MessageDigest.isEqual(keyDigest, sha256(proxyKey))) {
        List<Optional<InetAddress>> hops = ForwardedFor.forwarded(forwarded);
        Optional<InetAddress> client = hops.isEmpty() ? Optional.empty() : hops.get(hops.size() - 1);
        if (client.isPresent()) {
          return client.get().getHostAddress();
        }
        ignored(ForwardingIgnored.MALFORMED, peerText, "the Schoolgate proxy's request has no usable"
            + " Forwarded: for= (expected: exactly one, such as for=\"192.0.2.7\")");
        return peerText;
      }
      ignored(ForwardingIgnored.WRONG_PROXY_KEY, peerText, "it sent " + PROXY_KEY_HEADER
          + " with a key that is not this process's (only the Schoolgate proxy knows it)");
      return peerText;
    }
    if (peer.isPresent() && trust.trusts(peer.get().getAddress())) {
      List<Optional<InetAddress>> hops = !forwarded.isEmpty() ? ForwardedFor.forwarded(forwarded)
          : ForwardedFor.xForwardedFor(xForwardedFor);
      InetAddress client = peer.get();
      for (int i = hops.size() - 1; i >= 0; i--) {
        Optional<InetAddress> hop = hops.get(i);
        if (hop.isEmpty()) {
          ignored(ForwardingIgnored.MALFORMED, peerText, "a hop of its forwarding header is not an IP address");
          break;
        }
        client = hop.get();
        if (!trust.trusts(client.getAddress())) {
          break;
        }
      }
      return client.getHostAddress();
    }
    if (anyForwarding) {
      ignored(ForwardingIgnored.UNTRUSTED_PEER, peerText, "it is not a trusted proxy (admin.trusted-proxies)"
          + " and sent no valid " + PROXY_KEY_HEADER);
    }
    return peerText;
  }

  private void ignored(ForwardingIgnored reason, String peer, String why) {
    metrics.forwardingIgnored(reason);
    if (logged.get(reason).compareAndSet(false, true)) {
      log.warn("admin API: ignoring the forwarding headers of a request from {}: {}; the client is taken to be {}"
          + " (counted in schoolgate.admin.forwarding.ignored; logged once)", peer, why, peer);
    }
  }

  private static boolean hasForwarding(Context ctx) {
    for (String name : FORWARDING) {
      if (ctx.header(name) != null) {
        return true;
      }
    }
    return false;
  }

  private static List<String> headers(Context ctx, String name) {
    return Collections.list(ctx.req().getHeaders(name));
  }

  /** The peer as Jetty gives it, in {@link InetAddress#getHostAddress()} form. */
  private static String peer(String remoteAddr) {
    if (remoteAddr == null) {
      return "unknown";
    }
    try {
      return Inputs.client(remoteAddr, "peer").getHostAddress();
    } catch (InputException e) {
      return remoteAddr;
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
