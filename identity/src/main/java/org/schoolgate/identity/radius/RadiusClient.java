package org.schoolgate.identity.radius;

import java.net.InetAddress;
import java.util.Objects;
import org.schoolgate.policy.model.Subnet;

/**
 * A NAS (Wi-Fi controller, access point, switch) allowed to send accounting, and its shared secret.
 *
 * @param name a short name for logs and the binding's source, e.g. {@code wlc-main}
 * @param network the NAS's address or network, e.g. {@code 10.0.0.10/32}
 * @param secret the shared secret, as configured on the NAS; never logged
 */
public record RadiusClient(String name, Subnet network, String secret) {
  /** The shortest secret accepted (RFC 2865 recommends 16 characters or more). */
  public static final int MIN_SECRET = 8;

  public RadiusClient {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("radius client name '" + name
          + "' (expected: 1-64 letters, digits, '.', '_' or '-', e.g. wlc-main)");
    }
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(secret, "secret");
    if (secret.length() < MIN_SECRET) {
      throw new IllegalArgumentException("radius client '" + name + "': the shared secret is " + secret.length()
          + " characters (expected: at least " + MIN_SECRET + "; 16 or more random characters is better)");
    }
  }

  boolean covers(InetAddress address) {
    return network.contains(address);
  }

  @Override
  public String toString() {
    return "RadiusClient[" + name + " " + network + ", secret=(set)]";
  }
}
