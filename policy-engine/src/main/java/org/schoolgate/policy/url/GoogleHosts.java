package org.schoolgate.policy.url;

/**
 * Google search hosts: {@code google.<tld>} or {@code www.google.<tld>}, shared by safe-search
 * enforcement and search-term capture so that both recognise exactly the same hosts.
 */
public final class GoogleHosts {
  private GoogleHosts() {}

  /**
   * True for {@code google.<tld>} or {@code www.google.<tld>} (tld: one or two labels of 2-3
   * lower-case letters). Allocates nothing.
   */
  public static boolean isGoogleSearch(String host) {
    int i = host.startsWith("www.") ? 4 : 0;
    if (!host.startsWith("google.", i)) {
      return false;
    }
    i += 7;
    int labels = 0;
    while (i < host.length()) {
      int start = i;
      while (i < host.length() && host.charAt(i) >= 'a' && host.charAt(i) <= 'z') {
        i++;
      }
      int length = i - start;
      if (length < 2 || length > 3) {
        return false;
      }
      labels++;
      if (i < host.length()) {
        if (host.charAt(i) != '.' || i == host.length() - 1) {
          return false;
        }
        i++;
      }
    }
    return labels >= 1 && labels <= 2;
  }
}
