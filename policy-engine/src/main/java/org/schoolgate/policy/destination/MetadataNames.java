package org.schoolgate.policy.destination;

/**
 * Host names of cloud instance metadata services (which hand out credentials): refused like
 * link-local addresses for every client not on the proxy host, whatever they resolve to, and
 * before any lookup (a name the school's DNS does not know is still refused, not a DNS error).
 */
public final class MetadataNames {
  private static final String[] NAMES = {
      "metadata.google.internal", "metadata.goog", "metadata", "instance-data",
      "instance-data.ec2.internal", "metadata.azure.internal", "metadata.platformequinix.com",
  };

  private MetadataNames() {}

  /**
   * True when {@code host} is a metadata service name, in any case, with or without one trailing
   * dot. Allocates nothing.
   */
  public static boolean is(String host) {
    if (host == null) {
      return false;
    }
    int length = host.endsWith(".") ? host.length() - 1 : host.length();
    for (String name : NAMES) {
      if (name.length() == length && host.regionMatches(true, 0, name, 0, length)) {
        return true;
      }
    }
    return false;
  }
}
