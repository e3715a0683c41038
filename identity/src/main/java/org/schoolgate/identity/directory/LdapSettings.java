package org.schoolgate.identity.directory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how to reach the school's directory. Validated here with messages that say the value
 * and what is expected; deploy's runtime configuration ({@code identity.directory}) builds it.
 *
 * @param urls {@code ldaps://dc1.school.example} (636) or {@code ldap://dc1.school.example} (389,
 *     with {@code startTls} or {@code allowPlain}); several for fail-over, tried in order
 * @param startTls upgrade {@code ldap://} connections with StartTLS before anything is sent
 * @param allowPlain allow {@code ldap://} without TLS: passwords cross the network in clear (a
 *     warning is logged at start); only for a directory on the same host or a test lab
 * @param caFile PEM certificates to trust for the directory's TLS, or null for the JDK's trust store
 * @param bindDn the service account that searches users and groups, e.g.
 *     {@code CN=schoolgate,OU=Service Accounts,DC=school,DC=example}
 * @param bindPassword its password (from a file or the environment, never the configuration file);
 *     never logged
 * @param userBase where users are searched, e.g. {@code OU=People,DC=school,DC=example}
 * @param userAttribute the attribute a user name is matched against: {@code sAMAccountName} (AD)
 *     or {@code uid} (OpenLDAP)
 * @param userFilter an extra LDAP filter users must match, e.g. {@code (objectClass=person)}
 * @param groupBase where groups are searched ({@link Membership#MEMBER}), or null for {@code userBase}
 * @param membership how groups are found: the entries' {@code memberOf} (AD, OpenLDAP's memberof
 *     overlay) or searching groups' {@code member}/{@code uniqueMember}
 * @param maxNesting how many levels of nested groups are followed (cycles are cut)
 * @param connectTimeout how long to wait for a connection
 * @param responseTimeout how long to wait for any answer (a hanging directory)
 * @param poolSize connections kept for searches, and as many for users' binds
 */
public record LdapSettings(List<URI> urls, boolean startTls, boolean allowPlain, Path caFile, String bindDn,
    char[] bindPassword, String userBase, String userAttribute, String userFilter, String groupBase,
    Membership membership, int maxNesting, Duration connectTimeout, Duration responseTimeout, int poolSize) {

  /** How a person's groups are found. */
  public enum Membership {
    /** Read {@code memberOf} of the user, then of each group (AD; OpenLDAP with the memberof overlay). */
    MEMBER_OF,
    /** Search groups whose {@code member} or {@code uniqueMember} is the user, then each group. */
    MEMBER;

    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public LdapSettings {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls is empty (expected: e.g. [ldaps://dc1.school.example])");
    }
    for (URI u : urls) {
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ldaps") && !scheme.equals("ldap") || u.getHost() == null) {
        throw new IllegalArgumentException("url '" + u + "' is not an LDAP URL (expected: ldaps://host[:port]"
            + " or ldap://host[:port])");
      }
      if (scheme.equals("ldap") && !startTls && !allowPlain) {
        throw new IllegalArgumentException("url '" + u + "' is plain LDAP: passwords would cross the network in"
            + " clear (expected: ldaps://..., or start-tls: true, or allow-plain: true for a lab)");
      }
      if (scheme.equals("ldaps") && startTls) {
        throw new IllegalArgumentException("url '" + u + "' is already LDAPS (expected: start-tls only with ldap://)");
      }
    }
    Objects.requireNonNull(bindDn, "bindDn");
    Objects.requireNonNull(bindPassword, "bindPassword");
    if (bindDn.isBlank() || bindPassword.length == 0) {
      throw new IllegalArgumentException("the service account needs a bind DN and a password"
          + " (expected: bind-dn and bind-password-file or SCHOOLGATE_LDAP_PASSWORD)");
    }
    Objects.requireNonNull(userBase, "userBase");
    Objects.requireNonNull(userAttribute, "userAttribute");
    if (!userAttribute.matches("[A-Za-z][A-Za-z0-9-]*")) {
      throw new IllegalArgumentException("user-attribute '" + userAttribute
          + "' is not an attribute name (expected: sAMAccountName or uid)");
    }
    Objects.requireNonNull(membership, "membership");
    if (maxNesting < 0 || maxNesting > 50) {
      throw new IllegalArgumentException("max-nesting is " + maxNesting + " (expected: 0-50)");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
        || responseTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be more than 0 (expected: e.g. connect-timeout: 3s,"
          + " response-timeout: 5s)");
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException("pool-size is " + poolSize + " (expected: 1-64)");
    }
  }

  /** Settings with the usual defaults: AD's {@code sAMAccountName}, {@code memberOf}, 10 levels, 3 s / 5 s, 4 connections. */
  public static LdapSettings of(List<URI> urls, boolean startTls, Path caFile, String bindDn, char[] bindPassword,
      String userBase) {
    return new LdapSettings(urls, startTls, false, caFile, bindDn, bindPassword, userBase, "sAMAccountName",
        "(objectClass=person)", null, Membership.MEMBER_OF, 10, Duration.ofSeconds(3), Duration.ofSeconds(5), 4);
  }

  @Override
  public String toString() {
    return "LdapSettings[" + urls + ", bind " + bindDn + ", users " + userBase + "]";
  }
}
