package org.schoolgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.model.NetworkConfig;

/**
 * Gathers what {@link WhoIsAsking} needs for one request — the {@code Proxy-Authorization}
 * header checked by the {@link Verifier}, the address binding, the bound person's groups — and
 * answers with a {@link Who}. The small API the proxy calls per request (and per new connection):
 *
 * <pre>{@code
 * identity.identify(holder.current(), clientAddress, request.headers().get("Proxy-Authorization"))
 *     .thenAcceptAsync(who -> carryOn(who), channel.eventLoop()); // back on the channel's own loop
 * }</pre>
 *
 * The future completes at once when nothing needs the directory (no credentials read on this
 * network, or a cache hit), otherwise on the verifier's executor; it never completes
 * exceptionally. The binding look-up reads memory only. Credentials are read only where the
 * client's network reads them ({@code proxy-auth} optional or required) and only in the schemes
 * it offers.
 */
public final class IdentityService {
  /** At most this many verified people's answers are kept (the verifier keeps their credentials). */
  static final int MAX_PEOPLE = 100_000;

  private final Verifier verifier;
  private final AddressBindings bindings;
  private final Clock clock;
  /**
   * The answer each verification gave, across connections: keyed by the very {@link
   * Verification.Verified} the verifier's cache hands out for one person's credentials (weak keys
   * compare by identity), so an entry lives exactly as long as the verifier keeps that person's
   * credentials — a changed password or group is a new verification and a new answer. It saves
   * compiling the person's directory groups ({@code PolicySnapshot.identify}) on every request when
   * requests of many people interleave, which the per-connection {@link Memo} cannot.
   */
  private final Cache<Verification, Memo> people = Caffeine.newBuilder().weakKeys().maximumSize(MAX_PEOPLE).build();

  public IdentityService(Verifier verifier, AddressBindings bindings, Clock clock) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Who is behind a request from {@code client} carrying {@code proxyAuthorization} (the header's
   * value, or null), decided with {@code policy} (read once per request by the caller).
   */
  public CompletableFuture<Who> identify(PolicySnapshot policy, InetAddress client, String proxyAuthorization) {
    return identify(policy, client, proxyAuthorization, null);
  }

  /**
   * Like {@link #identify(PolicySnapshot, InetAddress, String)}, remembering in {@code memo} (one
   * per client connection, or null) the person the last verified credentials gave: a request that
   * repeats them — Basic sends them with every request of a keep-alive connection — and that the
   * verifier answers from its cache with the very same verification, under the same policy,
   * gets the same answer without compiling the person again. The credentials are still checked
   * against the verifier's cache every time, so a changed password or group takes effect as
   * without the memo.
   */
  public CompletableFuture<Who> identify(PolicySnapshot policy, InetAddress client, String proxyAuthorization,
      Memo memo) {
    if (memo != null && proxyAuthorization != null) {
      CompletableFuture<Who> repeated = memo.repeated(policy, client, proxyAuthorization, verifier);
      if (repeated != null) {
        return repeated;
      }
    }
    Instant now = clock.instant();
    NetworkConfig network = policy.network(client);
    CompletableFuture<Verification> credentials;
    if (network.acceptsCredentials() && proxyAuthorization != null) {
      ProxyCredentials parsed = ProxyCredentials.parse(proxyAuthorization);
      NetworkConfig.Scheme scheme = parsed instanceof ProxyCredentials.Basic ? NetworkConfig.Scheme.BASIC
          : parsed instanceof ProxyCredentials.Negotiate ? NetworkConfig.Scheme.NEGOTIATE : null;
      if (scheme != null && !network.schemes().contains(scheme)) {
        if (parsed instanceof ProxyCredentials.Basic b) {
          b.clear();
        }
        credentials = CompletableFuture.completedFuture(new Verification.Refused(Verification.Refusal.NOT_OFFERED,
            scheme.httpName() + " sign-in is not offered on this network (expected: "
                + String.join(" or ", network.schemes().stream().map(NetworkConfig.Scheme::httpName).toList()) + ")"));
      } else {
        credentials = verifier.verify(parsed, client);
      }
    } else {
      credentials = CompletableFuture.completedFuture(null);
    }
    if (credentials.isDone()) {
      Verification done = credentials.getNow(null);
      CompletableFuture<Who> remembered = memo == null ? null : memo.answerFor(policy, client, done);
      if (remembered == null && done instanceof Verification.Verified) {
        Memo shared = people.getIfPresent(done);
        remembered = shared == null ? null : shared.answerFor(policy, client, done);
        if (remembered != null && memo != null) {
          memo.remember(policy, client, done, remembered, proxyAuthorization);
        }
      }
      if (remembered != null) {
        return remembered;
      }
    }
    return credentials.thenCompose(verified -> {
      if (verified instanceof Verification.Verified || verified instanceof Verification.Refused
          || network.requiresCredentials()) {
        CompletableFuture<Who> answer = CompletableFuture.completedFuture(
            WhoIsAsking.identify(policy, client, now, verified, null, null));
        if (verified instanceof Verification.Verified) {
          if (memo != null) {
            memo.remember(policy, client, verified, answer, proxyAuthorization);
          }
          Memo shared = new Memo();
          shared.remember(policy, client, verified, answer, null);
          people.put(verified, shared);
        }
        return answer;
      }
      AddressBinding binding = bindings.find(client, now);
      if (binding == null || !binding.activeAt(now) || !WhoIsAsking.trusted(network, binding.method())
          || !binding.directoryGroups().isEmpty()) {
        return CompletableFuture.completedFuture(WhoIsAsking.identify(policy, client, now, verified, binding, null));
      }
      return verifier.groupsOf(binding.user(), binding.method())
          .thenApply(groups -> WhoIsAsking.identify(policy, client, now, verified, binding, groups));
    });
  }

  /**
   * Who is behind a connection redirected to the proxy (transparent mode, the page listener),
   * which cannot answer a 407: the address bindings the network trusts (their directory groups
   * looked up as for any binding), else a challenge where the network requires sign-in, else the
   * subnet ({@link WhoIsAsking#byAddress}). Completes at once unless a binding's groups must be
   * looked up.
   */
  public CompletableFuture<Who> identifyByAddress(PolicySnapshot policy, InetAddress client) {
    Instant now = clock.instant();
    NetworkConfig network = policy.network(client);
    AddressBinding binding = bindings.find(client, now);
    if (binding == null || !binding.activeAt(now) || !WhoIsAsking.trusted(network, binding.method())
        || !binding.directoryGroups().isEmpty()) {
      return CompletableFuture.completedFuture(WhoIsAsking.byAddress(policy, client, now, binding, null));
    }
    return verifier.groupsOf(binding.user(), binding.method())
        .thenApply(groups -> WhoIsAsking.byAddress(policy, client, now, binding, groups));
  }

  /**
   * One connection's last verified credentials and the answer made from them (see
   * {@link #identify(PolicySnapshot, InetAddress, String, Memo)}). Confined to the connection: it
   * is written by the request that waits for it and read by the next one.
   *
   * <p>A request that repeats the very same {@code Proxy-Authorization} header (Basic sends it
   * with every request of a keep-alive connection) under the same policy is given the remembered
   * answer without reading the header again, as long as the verifier would still answer those
   * credentials from its cache with the same verification ({@link Verifier.Reuse}: the cache
   * period from the directory's answer, cleared caches). The header is compared exactly, so other
   * credentials on the same connection are always checked. The header's text is kept as long as
   * the connection is (as the request that carried it was); it is never logged.
   */
  public static final class Memo {
    // weakly: an idle keep-alive connection must not keep a reloaded policy in memory
    private java.lang.ref.WeakReference<PolicySnapshot> policy = new java.lang.ref.WeakReference<>(null);
    private InetAddress client;
    private Verification verified;
    private CompletableFuture<Who> answer;
    private String header;
    /** The verifier's lease on {@link #verified}, asked for when the header first repeats (null until then). */
    private Verifier.Reuse reuse;

    void remember(PolicySnapshot policy, InetAddress client, Verification verified, CompletableFuture<Who> answer,
        String header) {
      this.policy = new java.lang.ref.WeakReference<>(policy);
      this.client = client;
      this.verified = verified;
      this.answer = answer;
      this.header = header;
      this.reuse = null;
    }

    /** The remembered answer when {@code verified} is the very verification it was made from. */
    CompletableFuture<Who> answerFor(PolicySnapshot policy, InetAddress client, Verification verified) {
      return verified != null && verified == this.verified && policy == this.policy.get() && client.equals(this.client)
          ? answer : null;
    }

    /**
     * The remembered answer when {@code header} repeats the one it was made from exactly and the
     * verifier would still answer it from its cache; null when the header must be checked. The
     * lease is looked up on the first repeat, so a connection whose header changes on every request
     * costs no look-up.
     */
    CompletableFuture<Who> repeated(PolicySnapshot policy, InetAddress client, String header, Verifier verifier) {
      if (!header.equals(this.header) || policy != this.policy.get() || !client.equals(this.client)) {
        return null;
      }
      if (reuse == null) {
        reuse = verifier.reuse(verified);
      }
      return reuse.reuse() ? answer : null;
    }
  }
}
