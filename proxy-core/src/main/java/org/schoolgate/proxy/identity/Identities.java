package org.schoolgate.proxy.identity;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Who;
import org.schoolgate.policy.PolicySnapshot;

/**
 * Who is behind one request, for the proxy's front: the connection's cache where it can answer,
 * otherwise the {@link IdentityService} (proxy credentials, then address bindings, then the
 * subnet, in its one order). The answer is a future that is already complete on every path that
 * needs no directory (a subnet-only network, a connection already signed in with Negotiate, a
 * request inside an intercepted tunnel, a Basic cache hit); otherwise it completes on the
 * verifier's threads and the caller resumes on the channel's own loop. Never blocks.
 *
 * <ul>
 *   <li>{@code Proxy-Authorization} is read once and removed from the request, so it never goes
 *       upstream, whatever happens next.
 *   <li>Basic is re-checked on every request that carries it, through the verifier's cache (a
 *       changed password or group takes effect within one cache period).
 *   <li>Negotiate is a handshake per connection: a later request on the same connection without
 *       the header is the person who signed in on it.
 *   <li>A request inside an intercepted tunnel is the person who signed in on the CONNECT; with
 *       nobody signed in, it is asked like any request without credentials (bindings, subnet).
 * </ul>
 */
public final class Identities {
  private final IdentityService service;

  /** {@code service} null: identification by the client's subnet only (no sign-in, no bindings). */
  public Identities(IdentityService service) {
    this.service = service;
  }

  /**
   * Who is behind {@code request} from {@code client} under {@code policy}; {@code intercepted}:
   * the request was read inside an intercepted tunnel. Never completes exceptionally.
   */
  public CompletableFuture<Who> identify(IdentityCache cache, PolicySnapshot policy, InetAddress client,
      HttpRequest request, boolean intercepted) {
    return identify(cache, policy, client, request, intercepted, false);
  }

  /**
   * Like {@link #identify(IdentityCache, PolicySnapshot, InetAddress, HttpRequest, boolean)};
   * {@code redirected}: the connection was redirected to the proxy (transparent mode, the page
   * listener), so nobody can be asked to sign in: address bindings, else the subnet, else (a
   * network requiring sign-in) a challenge the front shows as the sign-in-first page.
   */
  public CompletableFuture<Who> identify(IdentityCache cache, PolicySnapshot policy,
      InetAddress client, HttpRequest request, boolean intercepted, boolean redirected) {
    String credentials = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    if (credentials != null) {
      request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }
    if (service == null || !cache.needsService(policy, client)) {
      return cache.bySubnet(policy, client);
    }
    if (redirected) {
      try {
        CompletableFuture<Who> asked = service.identifyByAddress(policy, client);
        return asked.handle((who, e) -> who == null ? failed(e) : who);
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(failed(e));
      }
    }
    if (credentials == null && cache.hasSignedIn(intercepted)) {
      return cache.signedIn(policy, client);
    }
    CompletableFuture<Who> asked;
    try {
      asked = service.identify(policy, client, credentials, cache.memo());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(e));
    }
    if (asked.isDone()) {
      Who who = asked.getNow(null);
      remember(cache, policy, who);
      return who == null ? CompletableFuture.completedFuture(failed(null)) : asked;
    }
    return asked.handle((who, e) -> {
      Who answer = who == null ? failed(e) : who;
      remember(cache, policy, answer); // on the verifier's thread: see below
      return answer;
    });
  }

  /**
   * Keeps a credential sign-in for the connection. The cache is confined to the connection's
   * loop; a late answer is written from the verifier's thread, but the front waits for it (reading
   * paused, nothing else touches the cache until it resumes on its loop), and the future's
   * completion orders the write before that resumption.
   */
  private static void remember(IdentityCache cache, PolicySnapshot policy, Who who) {
    if (who instanceof Who.Known k && (k.method() == AuthMethod.BASIC || k.method() == AuthMethod.NEGOTIATE)) {
      cache.signedIn(policy, k);
    }
  }

  private static Who failed(Throwable e) {
    return new Who.Unavailable("the web filter could not tell who you are"
        + (e == null ? "" : " (" + e.getClass().getSimpleName() + ")") + "; try again in a minute");
  }
}
