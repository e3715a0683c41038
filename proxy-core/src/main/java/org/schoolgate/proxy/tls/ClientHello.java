package org.schoolgate.proxy.tls;

/** What the first bytes of a tunnel turned out to be. */
sealed interface ClientHello permits ClientHello.Incomplete, ClientHello.NotTls, ClientHello.Hello {

  /** Not enough bytes yet to tell. */
  Incomplete INCOMPLETE = new Incomplete();

  /** Keep reading. */
  final class Incomplete implements ClientHello {
    private Incomplete() {}
  }

  /**
   * The bytes are not a TLS ClientHello.
   *
   * @param why what was wrong, for the access log
   */
  record NotTls(String why) implements ClientHello {}

  /**
   * A complete ClientHello.
   *
   * @param serverName the {@code server_name} (SNI) host name as sent, or null when absent
   * @param ech true when the {@code encrypted_client_hello} extension (0xfe0d) is present
   */
  record Hello(String serverName, boolean ech) implements ClientHello {}
}
