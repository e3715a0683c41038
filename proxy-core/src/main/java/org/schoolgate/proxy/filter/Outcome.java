package org.schoolgate.proxy.filter;

import io.netty.handler.codec.http.FullHttpResponse;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.proxy.log.Exchange;
import org.schoolgate.proxy.tls.TunnelTarget;

/**
 * What the proxy does with one decided request ({@link Decisions}); the front handler acts on it.
 * Every request gets exactly one outcome: there is no "continue" and no null.
 */
public sealed interface Outcome permits Outcome.Answer, Outcome.Forward, Outcome.Tunnel,
    Outcome.Intercept {

  /** Answer with {@code response} (a block or error page); the origin is not asked. */
  record Answer(FullHttpResponse response) implements Outcome {}

  /**
   * Send the request to the origin {@code host:port}, connecting to {@code dialHost}'s address
   * (the safe host for SafeSearch, else {@code host}) once {@link DestinationCheck#forward}
   * passed it. The request's Host header and, for SafeSearch, its query or headers are already
   * rewritten. {@code decided} and {@code exchange} are what that check needs to refuse.
   */
  record Forward(String host, int port, String dialHost, Verdict.Decided decided,
      Exchange exchange) implements Outcome {
    /** The request's decision (allowed), for the content precedence. */
    public org.schoolgate.policy.Decision decision() {
      return decided.decision();
    }

    /** The policy the request was decided with (its content rules), or null for none. */
    public PolicySnapshot snapshot() {
      return decided.snapshot();
    }

    /** The full URL asked for, for logs, alerts and the block page. */
    public String url() {
      return ExchangeFacts.url(decided.target());
    }
  }

  /**
   * An allowed CONNECT: connect to {@code dialHost}'s address on the target's port once {@link
   * DestinationCheck#tunnel} passed it (with {@code snapshot}, the policy it was decided with),
   * answer 200, then hold the client's first bytes until its ClientHello passed the tunnel checks.
   */
  record Tunnel(TunnelTarget target, String dialHost, PolicySnapshot snapshot)
      implements Outcome {}

  /**
   * A CONNECT chosen for interception: answer 200 at once (nothing is connected), check the
   * ClientHello, then decrypt with the school CA's leaf for the host.
   */
  record Intercept(TunnelTarget target) implements Outcome {}
}
