package org.schoolgate.proxy.tls;

import java.time.Instant;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.TunnelCheck;
import org.schoolgate.policy.url.UrlParser;

/**
 * Decides what a tunnel's ClientHello means, without touching the channel:
 * <ol>
 *   <li>not TLS → the {@code not-tls} check (on every allowed port);</li>
 *   <li>Encrypted ClientHello whose outer name is not the CONNECT host (or absent) → the
 *       {@code ech} check; when allowed, the outer (public) name is still decided as a host, and
 *       no mismatch is checked (the outer name is a front by design). An ECH extension whose outer
 *       name <em>is</em> the CONNECT host is what browsers send to every site as "GREASE" (Chrome
 *       and Firefox do, so that real ECH cannot be told apart on the wire): it is judged like any
 *       hello naming that host, since the CONNECT host was already decided. Real ECH shows an
 *       outer name of its provider (e.g. {@code cloudflare-ech.com}): a mismatch here, or a
 *       CONNECT to that provider, which the filter-bypass list covers;</li>
 *   <li>no server name → the {@code missing-sni} check, unless the CONNECT host is an IP
 *       address (browsers send no name for those);</li>
 *   <li>server name equal to the CONNECT host (after {@link UrlParser#normalizeHost}) → pass;</li>
 *   <li>another name → that name is decided like any host (its block wins), then the
 *       {@code sni-mismatch} check.</li>
 * </ol>
 */
final class TunnelJudge {
  private TunnelJudge() {}

  /**
   * What happened.
   *
   * @param check the check that fired, or null when the hello matched (forward untouched)
   * @param decision the deciding decision (the check's, or the server name's host decision when
   *     that blocked), or null when nothing fired
   * @param detail what was seen, for the access log
   */
  record Outcome(TunnelCheck check, Decision decision, String detail) {
    static final Outcome PASS = new Outcome(null, null, null);

    boolean refused() {
      return decision != null && decision.blocked();
    }
  }

  static Outcome judge(PolicySnapshot snapshot, TunnelTarget t, ClientHello hello, Instant at) {
    if (hello instanceof ClientHello.NotTls notTls) {
      return check(snapshot, t, TunnelCheck.NOT_TLS, "not TLS: " + notTls.why());
    }
    ClientHello.Hello h = (ClientHello.Hello) hello;
    String name = h.serverName() == null ? null : normalise(h.serverName());
    if (h.ech() && (name == null || !name.equals(t.host()))) {
      Outcome ech = check(snapshot, t, TunnelCheck.ECH, "Encrypted ClientHello"
          + (h.serverName() == null ? "" : " with outer name " + h.serverName()));
      if (ech.refused() || name == null) {
        return ech;
      }
      Decision host = hostDecision(snapshot, t, name, at);
      return host.blocked() ? new Outcome(TunnelCheck.ECH, host, ech.detail()) : ech;
    }
    if (h.serverName() == null) {
      return t.ipLiteral() ? Outcome.PASS
          : check(snapshot, t, TunnelCheck.MISSING_SNI, "no server name (SNI) in the ClientHello");
    }
    if (name != null && name.equals(t.host())) {
      return Outcome.PASS;
    }
    String detail = "the TLS server name " + (name == null ? "'" + h.serverName() + "' (unreadable)" : name)
        + " differs from the CONNECT host " + t.host();
    if (name != null) {
      Decision host = hostDecision(snapshot, t, name, at);
      if (host.blocked()) {
        return new Outcome(TunnelCheck.SNI_MISMATCH, host, detail);
      }
    }
    return check(snapshot, t, TunnelCheck.SNI_MISMATCH, detail);
  }

  private static Outcome check(PolicySnapshot snapshot, TunnelTarget t, TunnelCheck check, String detail) {
    return new Outcome(check, snapshot.decideTunnel(t.group(), check), detail);
  }

  private static Decision hostDecision(PolicySnapshot snapshot, TunnelTarget t, String host, Instant at) {
    return snapshot.decide(new RequestFacts(t.group(), t.user(), host, "", at, t.client()));
  }

  /** The normalised server name, or null when it is not a valid host. */
  private static String normalise(String serverName) {
    try {
      return UrlParser.normalizeHost(serverName);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
