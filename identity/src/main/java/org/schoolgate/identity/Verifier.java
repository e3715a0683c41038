package org.schoolgate.identity;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Checks proxy credentials and looks up people's directory groups, off the caller's thread. Every
 * future completes (never exceptionally) with a {@link Verification}, on the verifier's own
 * executor or at once on a cache hit; a Netty caller hops back to its channel's event loop.
 *
 * <pre>{@code
 * verifier.verify(ProxyCredentials.parse(header), client)
 *     .thenAcceptAsync(v -> continueRequest(v), channel.eventLoop());
 * }</pre>
 */
public interface Verifier {

  /** Checks {@code credentials} sent from {@code client}. */
  CompletableFuture<Verification> verify(ProxyCredentials credentials, InetAddress client);

  /**
   * The directory groups of {@code user} (for a person an address binding names), cached like
   * verifications. {@link Verification.Refused} when the directory has no such user.
   */
  CompletableFuture<Verification> groupsOf(String user, AuthMethod method);

  /**
   * Whether {@code verified}, an answer this verifier gave for Basic credentials, may be given
   * again for the very same credentials without checking them: see {@link Reuse}. Never, unless
   * the verifier says otherwise.
   */
  default Reuse reuse(Verification verified) {
    return Reuse.NEVER;
  }

  /**
   * The right to give a verification again for the same credentials while the verifier would
   * still answer them from its cache with it: until the verifier's cache period, counted from the
   * directory's answer, has run out or its caches were cleared. So a changed password or group
   * takes effect no later than without reuse. Held per connection by {@link IdentityService.Memo};
   * it does not keep the verification itself alive.
   */
  @FunctionalInterface
  interface Reuse {
    /** Never reusable (refusals, Kerberos tokens, verifiers without a cache). */
    Reuse NEVER = () -> false;

    /**
     * True while the verification may be given again; each true answer is counted as the cache
     * hit it stands for.
     */
    boolean reuse();
  }

  /** No directory: every credential is refused as not offered, every user has no groups. */
  Verifier NONE = new Verifier() {
    @Override
    public CompletableFuture<Verification> verify(ProxyCredentials credentials, InetAddress client) {
      if (credentials instanceof ProxyCredentials.Basic b) {
        b.clear();
      }
      return CompletableFuture.completedFuture(new Verification.Refused(Verification.Refusal.NOT_OFFERED,
          "proxy sign-in is not set up on this Schoolgate (no directory, keytab or local accounts)"));
    }

    @Override
    public CompletableFuture<Verification> groupsOf(String user, AuthMethod method) {
      return CompletableFuture.completedFuture(new Verification.Verified(user, java.util.List.of(), method));
    }
  };
}
