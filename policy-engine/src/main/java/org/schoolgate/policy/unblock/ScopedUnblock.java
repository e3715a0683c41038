package org.schoolgate.policy.unblock;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.Unblock;
import org.schoolgate.policy.model.Subnet;

/**
 * One unblock ready for matching: its scope as arrays (groups, lower-case users, IPv4 networks as
 * int masks, IPv6 networks), its URL path prefix if any, and its time window. Checks allocate
 * nothing, except for an IPv6 client when the unblock is scoped to subnets (the address bytes).
 */
final class ScopedUnblock {
  /** Best first: the one in force longest, then the newest (highest id). */
  static final Comparator<ScopedUnblock> BEST_FIRST =
      Comparator.comparing((ScopedUnblock s) -> s.unblock.until()).reversed()
          .thenComparing(Comparator.comparingLong((ScopedUnblock s) -> s.unblock.id().value()).reversed());

  /**
   * Whether {@link Inet4Address#hashCode()} is the address as an int on this JDK (it always has
   * been); if not, IPv4 clients are read with {@code getAddress()}, which allocates.
   */
  private static final boolean HASH_IS_ADDRESS = hashIsAddress();

  final Unblock unblock;
  private final String path;
  private final String[] groups;
  private final String[] users;
  /** Normalised directory group names (see {@link org.schoolgate.policy.DirectoryGroupName}). */
  private final String[] directoryGroups;
  private final int[] v4Networks;
  private final int[] v4Masks;
  private final Subnet[] v6Networks;
  private final Instant from;
  private final Instant until;

  /**
   * @param path the URL prefix the request path must start with, or null for any path
   * @throws IllegalArgumentException when a subnet of the scope is not a CIDR network
   */
  ScopedUnblock(Unblock unblock, String path) {
    this.unblock = unblock;
    this.path = path;
    this.from = unblock.from();
    this.until = unblock.until();
    this.groups = unblock.scope().groups().stream().map(GroupId::value).sorted().toArray(String[]::new);
    this.users = unblock.scope().users().stream()
        .map(u -> u.strip().toLowerCase(Locale.ROOT)).sorted().toArray(String[]::new);
    this.directoryGroups = unblock.scope().directoryGroups().stream()
        .map(org.schoolgate.policy.DirectoryGroupName::normalise).distinct().sorted().toArray(String[]::new);
    List<Subnet> v4 = new ArrayList<>();
    List<Subnet> v6 = new ArrayList<>();
    for (String cidr : unblock.scope().subnets()) {
      Subnet s;
      try {
        s = Subnet.parse(cidr);
      } catch (IllegalArgumentException e) {
        // Subnet's message names the text and what was expected, e.g.
        // '10.1.4.0/33': prefix 33 is out of range (expected: 0-32 for IPv4)
        throw new IllegalArgumentException("unblock " + unblock.id() + ": scope subnet " + e.getMessage(), e);
      }
      (s.network().length == 4 ? v4 : v6).add(s);
    }
    this.v4Networks = new int[v4.size()];
    this.v4Masks = new int[v4.size()];
    for (int i = 0; i < v4.size(); i++) {
      Subnet s = v4.get(i);
      v4Masks[i] = s.prefix() == 0 ? 0 : -1 << (32 - s.prefix());
      v4Networks[i] = toInt(s.network()) & v4Masks[i];
    }
    this.v6Networks = v6.toArray(new Subnet[0]);
  }

  /** True when the unblock is in force at the request's time, for its path and scope. */
  boolean appliesTo(RequestFacts facts) {
    return inForceAt(facts.at()) && pathMatches(facts.path()) && inScope(facts);
  }

  /** {@code from <= at < until}. */
  boolean inForceAt(Instant at) {
    return at.compareTo(from) >= 0 && at.isBefore(until);
  }

  private boolean pathMatches(String requestPath) {
    return path == null || requestPath.startsWith(path);
  }

  /** The request's group, user, person's directory groups or client address is in the scope. */
  boolean inScope(RequestFacts facts) {
    String group = facts.group().value();
    for (String g : groups) {
      if (g.equals(group)) {
        return true;
      }
    }
    String user = facts.user();
    if (user != null) {
      for (String u : users) {
        if (u.equalsIgnoreCase(user)) {
          return true;
        }
      }
    }
    org.schoolgate.policy.Person person = facts.person();
    if (person != null) {
      for (String g : directoryGroups) {
        if (person.isIn(g)) {
          return true;
        }
      }
    }
    InetAddress client = facts.client();
    if (client == null) {
      return false;
    }
    if (client instanceof Inet4Address) {
      if (v4Networks.length == 0) {
        return false;
      }
      int address = HASH_IS_ADDRESS ? client.hashCode() : toInt(client.getAddress());
      for (int i = 0; i < v4Networks.length; i++) {
        if ((address & v4Masks[i]) == v4Networks[i]) {
          return true;
        }
      }
      return false;
    }
    if (v6Networks.length == 0) {
      return false;
    }
    byte[] address = client.getAddress();
    for (Subnet s : v6Networks) {
      if (s.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static int toInt(byte[] b) {
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  private static boolean hashIsAddress() {
    try {
      byte[] probe = {(byte) 192, (byte) 168, 17, (byte) 200};
      return InetAddress.getByAddress(probe).hashCode() == toInt(probe);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
