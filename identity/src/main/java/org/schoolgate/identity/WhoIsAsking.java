package org.schoolgate.identity;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.model.NetworkConfig;

/**
 * The one place where the sources of identity are put in order — proxy credentials → logon
 * session or RADIUS → sign-in page binding → subnet — for the proxy and the admin API alike. Pure:
 * the caller gathers the inputs (credentials verified, the binding found, its groups looked up),
 * off the event loop; this decides in microseconds and allocates only the answer.
 *
 * <ol>
 *   <li>A client outside every served network is {@link Who.Refused}, whatever it sends.
 *   <li>Proxy credentials, where the network reads them ({@code proxy-auth} optional or
 *       required): verified → that person; refused → {@link Who.Challenge} (407); unavailable →
 *       {@link Who.Unavailable} (503) where required, the next source where optional. No
 *       credentials where required → {@link Who.Challenge}.
 *   <li>An address binding in force at {@code now} whose source the network trusts (logon
 *       sessions, RADIUS; sign-in page bindings where the sign-in page is on) → that person. An
 *       ended binding is ignored, so a stale mapping never widens a group; a binding whose
 *       groups could not be looked up counts as a person in no mapped group.
 *   <li>Nobody known on a network whose sign-in page is required: {@link Who.SignInPage} (the
 *       page first; only Schoolgate's pages and the identity provider's sign-in hosts meanwhile).
 *   <li>Otherwise the subnet's group ({@link AuthMethod#SUBNET}).
 * </ol>
 * A known person's group is then the policy's ({@link PolicySnapshot#identify(InetAddress, String,
 * java.util.Collection)}): named user, first mapped directory group, the network's unmapped-group,
 * or the subnet's group — never more permissive than the subnet for a person in no mapped group.
 */
public final class WhoIsAsking {
  /** The reason a client on a sign-in-page network is sent to the page. */
  public static final String SIGN_IN_FIRST = "sign in on the school's sign-in page to use the internet on this device";

  private WhoIsAsking() {}

  /**
   * Who is behind a request from {@code client} at {@code now}.
   *
   * @param credentials the verified {@code Proxy-Authorization}, or null when none was sent
   * @param binding the binding {@link AddressBindings#find} returned, or null
   * @param bindingGroups the binding person's groups looked up in the directory (when the
   *     binding carried none), or null when not looked up
   */
  public static Who identify(PolicySnapshot policy, InetAddress client, Instant now, Verification credentials,
      AddressBinding binding, Verification bindingGroups) {
    Identification bySubnet = policy.identify(client, null);
    if (bySubnet instanceof Identification.Refused refused) {
      return new Who.Refused(refused.reason());
    }
    NetworkConfig network = policy.network(client);
    if (network.acceptsCredentials()) {
      if (credentials instanceof Verification.Verified v) {
        return known(policy, client, v.user(), v.directoryGroups(), v.method());
      }
      if (credentials instanceof Verification.Refused r) {
        return new Who.Challenge(network.schemes(), r.message());
      }
      if (credentials instanceof Verification.Unavailable u && network.requiresCredentials()) {
        return new Who.Unavailable(u.reason());
      }
      if (credentials == null && network.requiresCredentials()) {
        return new Who.Challenge(network.schemes(), "sign in to use the internet from this computer");
      }
    }
    if (binding != null && binding.activeAt(now) && trusted(network, binding.method())) {
      List<String> groups = List.copyOf(binding.directoryGroups());
      if (groups.isEmpty() && bindingGroups instanceof Verification.Verified v) {
        groups = v.directoryGroups();
      }
      return known(policy, client, binding.user(), groups, binding.method());
    }
    if (network.signInPage() == NetworkConfig.SignInPage.REQUIRED) {
      return new Who.SignInPage(new Who.Known((Identification.Identified) bySubnet, AuthMethod.SUBNET), SIGN_IN_FIRST);
    }
    return new Who.Known((Identification.Identified) bySubnet, AuthMethod.SUBNET);
  }

  /**
   * Who is behind a connection that cannot be asked to sign in (its traffic was redirected to the
   * proxy: a browser that does not know a proxy is there cannot answer a 407): an address binding
   * the network trusts, else — where the network requires sign-in — a {@link Who.Challenge} the
   * caller turns into a "sign in first" page, else the subnet. Credentials are never read.
   */
  public static Who byAddress(PolicySnapshot policy, InetAddress client, Instant now,
      AddressBinding binding, Verification bindingGroups) {
    Identification bySubnet = policy.identify(client, null);
    if (bySubnet instanceof Identification.Refused refused) {
      return new Who.Refused(refused.reason());
    }
    NetworkConfig network = policy.network(client);
    if (binding != null && binding.activeAt(now) && trusted(network, binding.method())) {
      List<String> groups = List.copyOf(binding.directoryGroups());
      if (groups.isEmpty() && bindingGroups instanceof Verification.Verified v) {
        groups = v.directoryGroups();
      }
      return known(policy, client, binding.user(), groups, binding.method());
    }
    if (network.signInPage() == NetworkConfig.SignInPage.REQUIRED) {
      // a redirected device is sent to the sign-in page like one that knows the proxy
      return new Who.SignInPage(new Who.Known((Identification.Identified) bySubnet, AuthMethod.SUBNET),
          SIGN_IN_FIRST);
    }
    if (network.requiresCredentials()) {
      return new Who.Challenge(network.schemes(), "sign in to use the internet from this device");
    }
    return new Who.Known((Identification.Identified) bySubnet, AuthMethod.SUBNET);
  }

  /**
   * True when the network lets bindings made by {@code method} identify people (the filtering
   * DNS resolver asks too).
   */
  public static boolean trusted(NetworkConfig network, AuthMethod method) {
    return switch (method) {
      case SESSION -> network.trustSessions();
      case RADIUS -> network.trustRadius();
      case PORTAL -> network.signInPage() != NetworkConfig.SignInPage.OFF;
      default -> false;
    };
  }

  private static Who known(PolicySnapshot policy, InetAddress client, String user, List<String> groups,
      AuthMethod method) {
    Identification id = policy.identify(client, user, groups);
    return id instanceof Identification.Identified known
        ? new Who.Known(known, method)
        : new Who.Refused(((Identification.Refused) id).reason());
  }
}
