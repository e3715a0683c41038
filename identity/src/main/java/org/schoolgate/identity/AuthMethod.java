package org.schoolgate.identity;

import java.util.Locale;

/**
 * How the person behind a request was identified; written to the access log as {@code auth}.
 * Declared in the order the proxy consults the sources (see {@code ARCHITECTURE.md}, "Who is
 * asking"): proxy credentials first, then address bindings, then the client's subnet.
 */
public enum AuthMethod {
  /** {@code Proxy-Authorization: Basic}, checked against the directory or local accounts. */
  BASIC,
  /** {@code Proxy-Authorization: Negotiate} (Kerberos via SPNEGO). */
  NEGOTIATE,
  /** A logon session reported through the admin API (logon script, Wi-Fi controller, MDM). */
  SESSION,
  /** RADIUS accounting from a Wi-Fi controller or switch (802.1X). */
  RADIUS,
  /** The sign-in page (directory, cloud account or guest voucher). */
  PORTAL,
  /** No person known: the group comes from the client's subnet. */
  SUBNET;

  /** The access log's word for it: {@code basic}, {@code negotiate}, ... */
  public String logName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
