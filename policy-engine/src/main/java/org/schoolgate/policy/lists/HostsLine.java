package org.schoolgate.policy.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses one line of a hosts file into the names it lists. */
final class HostsLine {
  /** Names hosts files map for the machine itself; never list entries. */
  private static final Set<String> IGNORED = Set.of("localhost", "localhost.localdomain", "local",
      "broadcasthost", "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes",
      "ip6-allrouters", "ip6-allhosts", "0.0.0.0");

  private HostsLine() {}

  /**
   * The list entries of {@code line} ({@code address name...}, comment already removed): empty
   * when it names only the machine itself; throws when the line is not a hosts line.
   */
  static List<String> names(String line) {
    String[] fields = line.split("\\s+");
    if (fields.length < 2 || !looksLikeAddress(fields[0])) {
      throw new IllegalArgumentException("not a hosts line (expected: address name, e.g. 0.0.0.0 ads.example)");
    }
    List<String> names = new ArrayList<>(fields.length - 1);
    for (int i = 1; i < fields.length; i++) {
      String name = Entries.parseDomain(fields[i]);
      if (!IGNORED.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static boolean looksLikeAddress(String s) {
    return s.matches("[0-9.]+") || (s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.%a-z]+"));
  }
}
