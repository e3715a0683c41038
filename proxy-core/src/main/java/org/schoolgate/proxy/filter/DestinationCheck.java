package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.destination.AdminForwarding;
import org.schoolgate.proxy.destination.Destination;
import org.schoolgate.proxy.destination.DestinationGuard;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.tls.TunnelTarget;

/**
 * Where the pipeline meets the {@link DestinationGuard}: by name before DNS ({@link Decisions}
 * refuses cloud metadata names there), and on the address once DNS answered, for every
 * connection the proxy makes for a client — a request to forward (plain HTTP, a WebSocket
 * upgrade, a request inside an intercepted tunnel; on a pooled connection as on a new one), a
 * CONNECT tunnel, and a tunnel relayed untouched past interception. Each check is on the address
 * the connection goes to (the SafeSearch safe host's for a pinned request) with the group and
 * snapshot the request was decided with.
 *
 * <p>A refusal is written into the request's access-log exchange in place of the allow (action
 * {@code block}, rule {@code internal-destination} or {@code fail-closed}, the reason; the alert
 * rules raise {@code circumvention} from it) and counted by the guard; the caller answers it (the
 * 403 page, the CONNECT 403, or a close inside TLS). Runs on the event loop; an allowed IPv4
 * address costs no allocation.
 */
public final class DestinationCheck {
  private final DestinationGuard guard;

  public DestinationCheck(DestinationGuard guard) {
    this.guard = guard;
  }

  /** Before DNS: a cloud metadata name is refused whatever it resolves to. */
  Destination name(ClientSession session, Verdict.Decided decided, Exchange exchange) {
    Destination d = guard.checkName(decided.snapshot(), decided.decision().group(),
        decided.target().host(), session.client.getAddress());
    if (d instanceof Destination.Refused r) {
      ExchangeFacts.refused(exchange, decided.user(), decided.zone(), r.decision());
    }
    return d;
  }

  /** The request {@code f} from {@code session} is about to go to {@code address}. */
  public Destination forward(ClientSession session, Outcome.Forward f, InetAddress address) {
    Verdict.Decided decided = f.decided();
    Destination d = guard.check(decided.snapshot(), decided.decision().group(), f.host(), f.port(),
        address, session.client.getAddress());
    if (d instanceof Destination.Refused r) {
      ExchangeFacts.refused(f.exchange(), decided.user(), decided.zone(), r.decision());
    }
    return d;
  }

  /** The CONNECT tunnel {@code t} is about to be connected to {@code address}. */
  public Destination tunnel(Outcome.Tunnel t, InetAddress address) {
    return logged(t.target(), guard.check(t.snapshot(), t.target().group(), t.target().host(),
        t.target().port(), address, t.target().client()));
  }

  /**
   * A tunnel chosen for interception is relayed untouched to {@code t}'s host (its ClientHello
   * named another server) at {@code address}: checked by name and by address with {@code
   * snapshot}, the policy in force now (the CONNECT itself was not, as each request inside an
   * intercepted tunnel is).
   */
  public Destination passThrough(PolicySnapshot snapshot, TunnelTarget t, InetAddress address) {
    Destination named = guard.checkName(snapshot, t.group(), t.host(), t.client());
    if (named instanceof Destination.Refused) {
      return logged(t, named);
    }
    return logged(t, guard.check(snapshot, t.group(), t.host(), t.port(), address, t.client()));
  }

  private static Destination logged(TunnelTarget t, Destination d) {
    if (d instanceof Destination.Refused r) {
      ExchangeFacts.refused(t.exchange(), t.user(), t.zone(), r.decision());
    }
    return d;
  }

  /**
   * The forwarding headers of a request to the school's admin origin ({@link
   * Destination.AdminOrigin}): the client's own are dropped, {@code Forwarded: for=<client>} and
   * the proxy's key are set ({@link AdminForwarding}).
   */
  public void adminOrigin(HttpRequest request, ClientSession session) {
    AdminForwarding.apply(request.headers(), session.client.getAddress(), guard.proxyKey());
  }
}
