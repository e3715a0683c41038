package org.schoolgate.proxy.identity;

import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.IdentityService;
import org.schoolgate.identity.Who;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;

/**
 * What one client connection knows about who is behind it, kept per policy snapshot so a
 * keep-alive connection does not ask again for what cannot have changed:
 * <ul>
 *   <li>the subnet's answer and whether the client's network needs the identity service at all
 *       (proxy sign-in or address bindings) — both fixed for one address under one snapshot;
 *   <li>the person who signed in on this connection (Basic or Negotiate): a Negotiate handshake
 *       is made once per connection (browsers send the header only on its first request), and
 *       requests inside an intercepted tunnel inherit the tunnel's sign-in. After a reload the
 *       person is identified again under the new snapshot from their user name and directory
 *       groups (memory only).
 * </ul>
 * Answers are completed futures, made once per change, so a request on a known connection
 * allocates nothing here. Snapshots are held weakly: idle connections never keep an old policy
 * in memory. Confined to the connection's event loop.
 */
public final class IdentityCache {
  private WeakReference<PolicySnapshot> subnetSnapshot = new WeakReference<>(null);
  private CompletableFuture<Who> subnet;
  private boolean needsService;
  private WeakReference<PolicySnapshot> signedInSnapshot = new WeakReference<>(null);
  private CompletableFuture<Who> signedIn;
  private AuthMethod signedInBy;
  private IdentityService.Memo memo;

  /** The identity service's memo of this connection's last verified credentials. */
  IdentityService.Memo memo() {
    if (memo == null) {
      memo = new IdentityService.Memo();
    }
    return memo;
  }

  /** The subnet's answer under {@code policy}: {@link Who.Known} by subnet, or {@link Who.Refused}. */
  public CompletableFuture<Who> bySubnet(PolicySnapshot policy, InetAddress client) {
    if (subnet == null || subnetSnapshot.get() != policy) {
      Identification id = policy.identify(client, null);
      Who who = id instanceof Identification.Identified known
          ? new Who.Known(known, AuthMethod.SUBNET)
          : new Who.Refused(((Identification.Refused) id).reason());
      var network = policy.network(client);
      needsService = network.acceptsCredentials() || network.trustSessions() || network.trustRadius()
          || network.signInPage() != org.schoolgate.policy.model.NetworkConfig.SignInPage.OFF;
      subnet = CompletableFuture.completedFuture(who);
      subnetSnapshot = new WeakReference<>(policy);
    }
    return subnet;
  }

  /**
   * True when the client's network under {@code policy} reads proxy credentials or trusts
   * address bindings, so the identity service is asked; false: the subnet says it all.
   */
  boolean needsService(PolicySnapshot policy, InetAddress client) {
    bySubnet(policy, client);
    return needsService;
  }

  /** Remembers a person who signed in with credentials on this connection. */
  void signedIn(PolicySnapshot policy, Who.Known who) {
    if (signedIn != null && signedIn.getNow(null) == who && signedInSnapshot.get() == policy) {
      return; // the same answer again (a repeated Basic header): nothing to make
    }
    signedIn = CompletableFuture.completedFuture(who);
    signedInBy = who.method();
    signedInSnapshot = new WeakReference<>(policy);
  }

  /**
   * True when somebody signed in on this connection in a way that covers a request without
   * credentials: with Negotiate (a handshake per connection), or with either scheme for a request
   * inside an intercepted tunnel ({@code intercepted}). A plain request on a Basic connection
   * sends its credentials again and is checked again.
   */
  boolean hasSignedIn(boolean intercepted) {
    return signedIn != null && (intercepted || signedInBy == AuthMethod.NEGOTIATE);
  }

  /**
   * The person who signed in on this connection ({@link #hasSignedIn}), identified under
   * {@code policy} (again from their name and directory groups after a reload).
   */
  CompletableFuture<Who> signedIn(PolicySnapshot policy, InetAddress client) {
    if (signedInSnapshot.get() != policy) {
      Who.Known before = (Who.Known) signedIn.join();
      Identification id = policy.identify(client, before.user(),
          before.person() == null ? java.util.List.of() : before.person().directoryGroups());
      Who who = id instanceof Identification.Identified known ? new Who.Known(known, before.method())
          : new Who.Refused(((Identification.Refused) id).reason());
      if (!(who instanceof Who.Known k)) {
        signedIn = null;
        return CompletableFuture.completedFuture(who);
      }
      signedIn(policy, k);
    }
    return signedIn;
  }
}
