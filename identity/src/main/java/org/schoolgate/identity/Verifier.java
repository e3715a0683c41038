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
