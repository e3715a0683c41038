package org.schoolgate.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A person known to be at a client address until {@code until}: reported by a logon session,
 * RADIUS accounting or the sign-in page. Immutable.
 *
 * @param user the user name as the source gave it (e.g. {@code alice} or {@code alice@school.example})
 * @param directoryGroups the person's directory groups when the source knows them (the sign-in
 *     page after a directory sign-in); empty when the proxy must look them up
 * @param method how the binding was made: {@link AuthMethod#SESSION}, {@link AuthMethod#RADIUS}
 *     or {@link AuthMethod#PORTAL}
 * @param until when the binding ends by itself; a binding is never used at or after this instant
 */
public record AddressBinding(String user, Set<String> directoryGroups, AuthMethod method,
    Instant until) {
  public AddressBinding {
    Objects.requireNonNull(user, "user");
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is blank (expected: a user name)");
    }
    directoryGroups = Set.copyOf(directoryGroups);
    Objects.requireNonNull(method, "method");
    if (method != AuthMethod.SESSION && method != AuthMethod.RADIUS && method != AuthMethod.PORTAL) {
      throw new IllegalArgumentException("method " + method
          + " (expected: SESSION, RADIUS or PORTAL: credentials are per request, not bound to an address)");
    }
    Objects.requireNonNull(until, "until");
  }

  /** True while the binding is in force at {@code now}. */
  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }
}
