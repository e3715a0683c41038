package org.schoolgate.admin.signin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.schoolgate.identity.ProxyCredentials;
import org.schoolgate.identity.Verification;
import org.schoolgate.identity.Verifier;
import org.schoolgate.policy.DirectoryGroupName;
import org.schoolgate.store.Role;

/**
 * Admin sign-in with directory credentials: which directory groups give which admin roles
 * ({@code admin.directory-roles} in the runtime configuration, e.g. {@code CN=Safeguarding,...}
 * → {@code dsl}), and the check of a user name and password against the school's directory
 * through the identity module's {@link Verifier} (its cache, its throttle below the directory's
 * lock-out threshold, its circuit breaker). A person gets every role one of their groups (nested
 * ones included) maps to; {@code identity-source} never comes from a group. Group names compare as
 * {@link DirectoryGroupName} says (a DN, or the group's first RDN value).
 */
public final class DirectoryRoles {
  /** No directory sign-in: only local accounts. */
  public static final DirectoryRoles NONE = new DirectoryRoles(Verifier.NONE, List.of());
  /** How long a sign-in waits for the directory (the verifier's own timeouts are shorter). */
  static final long WAIT_SECONDS = 30;

  /** One mapping: members of {@code directoryGroup} get {@code role}. */
  public record Mapping(String directoryGroup, Role role) {
    public Mapping {
      Objects.requireNonNull(role, "role");
      if (directoryGroup == null || directoryGroup.isBlank() || directoryGroup.length() > DirectoryGroupName.MAX_LENGTH) {
        throw new IllegalArgumentException("directory group '" + directoryGroup + "' must be 1-"
            + DirectoryGroupName.MAX_LENGTH + " characters (expected: e.g. CN=Safeguarding,OU=Groups,DC=school,DC=example)");
      }
      if (role == Role.IDENTITY_SOURCE) {
        throw new IllegalArgumentException("identity-source cannot come from a directory group (expected: teacher,"
            + " technician, dsl, senior-leader, governor or admin; logon scripts use a local account)");
      }
    }
  }

  /** The verifier behind directory sign-in (the device sign-in page checks passwords with it too). */
  public Verifier verifier() {
    return verifier;
  }

  /** The result of a directory sign-in. */
  public sealed interface Outcome {
    /** The directory knows the person; {@code roles} may be empty (then no admin sign-in). */
    record Verified(String user, Set<Role> roles) implements Outcome {}

    /** Wrong user name or password, or throttled. */
    record Refused() implements Outcome {}

    /** The directory cannot answer now. */
    record Unavailable(String reason) implements Outcome {}
  }

  private final Verifier verifier;
  private final List<Mapping> mappings;
  private final List<String> keys;

  public DirectoryRoles(Verifier verifier, List<Mapping> mappings) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.mappings = List.copyOf(mappings);
    this.keys = this.mappings.stream().map(m -> DirectoryGroupName.normalise(m.directoryGroup())).toList();
  }

  /** True when some directory group gives an admin role. */
  public boolean enabled() {
    return !mappings.isEmpty();
  }

  /** The roles {@code directoryGroups} (as the directory returns them) give. */
  public Set<Role> rolesFor(List<String> directoryGroups) {
    Set<String> held = new HashSet<>();
    for (String g : directoryGroups) {
      held.addAll(DirectoryGroupName.keys(g));
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (int i = 0; i < mappings.size(); i++) {
      if (held.contains(keys.get(i))) {
        roles.add(mappings.get(i).role());
      }
    }
    return roles;
  }

  /**
   * Checks {@code username} and {@code password} against the directory, from {@code address} (the
   * client's IP address). Blocks the calling (admin request) thread for at most {@value
   * #WAIT_SECONDS} seconds. Clears {@code password}.
   */
  public Outcome check(String username, char[] password, String address) {
    InetAddress client;
    try {
      client = InetAddress.getByName(literal(address));
    } catch (UnknownHostException e) {
      client = InetAddress.getLoopbackAddress();
    }
    Verification v;
    try {
      v = verifier.verify(new ProxyCredentials.Basic(username, password), client).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Unavailable("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return new Outcome.Unavailable("the directory did not answer in " + WAIT_SECONDS + " seconds");
    }
    if (v instanceof Verification.Verified ok) {
      return new Outcome.Verified(ok.user(), rolesFor(ok.directoryGroups()));
    }
    if (v instanceof Verification.Unavailable u) {
      return new Outcome.Unavailable(u.reason());
    }
    return new Outcome.Refused();
  }

  /** An IP literal as given, or the unspecified address (never a name: no DNS on sign-in). */
  private static String literal(String address) {
    return address != null && address.matches("[0-9a-fA-F:.]{2,45}") ? address : "0.0.0.0";
  }
}
