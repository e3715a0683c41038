package org.schoolgate.proxy.identity;

import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.util.Objects;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;

/**
 * One client connection's identification, computed once per policy snapshot: a keep-alive
 * connection asks the policy who it is on its first request, and again only after a reload
 * (the snapshot is a different object) or when the user changes. The snapshot is held weakly so
 * idle connections never keep an old policy in memory. Confined to the connection's event loop.
 */
public final class IdentityCache {
  private WeakReference<PolicySnapshot> snapshot = new WeakReference<>(null);
  private String user;
  private Identification identification;

  /** The client's identification under {@code policy}, from the cache when still valid. */
  public Identification identify(PolicySnapshot policy, InetAddress client, String user) {
    if (identification != null && snapshot.get() == policy && Objects.equals(this.user, user)) {
      return identification;
    }
    Identification fresh = policy.identify(client, user);
    this.identification = Objects.requireNonNull(fresh, "PolicySnapshot.identify returned null");
    this.snapshot = new WeakReference<>(policy);
    this.user = user;
    return fresh;
  }
}
