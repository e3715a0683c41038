package org.schoolgate.identity;

import java.net.InetAddress;
import java.time.Instant;

/**
 * Client address → the person bound to it (logon sessions, RADIUS accounting, the sign-in page).
 * Read on the proxy's request path: implementations answer from memory without locks or I/O
 * (an immutable map in a volatile field, or a concurrent map), and never return a binding that
 * has ended, so a group is never widened by a stale mapping.
 */
public interface AddressBindings {

  /** No address is bound to anybody. */
  AddressBindings NONE = (client, now) -> null;

  /**
   * The binding in force for {@code client} at {@code now}, or null when there is none (the
   * caller falls back to the next source: the client's subnet). When sources disagree, the most
   * recently made binding wins. Allocates nothing.
   */
  AddressBinding find(InetAddress client, Instant now);
}
