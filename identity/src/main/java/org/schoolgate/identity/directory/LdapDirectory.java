package org.schoolgate.identity.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.verify.PasswordSource;
import org.schoolgate.identity.verify.SourceDownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The school's LDAP directory or Active Directory as a {@link PasswordSource}, with the UnboundID
 * LDAP SDK. Blocking: call it from the identity executor.
 *
 * <p>A password is checked by a simple bind <em>as the user</em>: the service account finds the
 * user's entry (an equality filter built as an object, so a name like {@code *)(uid=*} is just an
 * odd name, never filter syntax), then the user's DN binds with the password on a connection of a
 * second pool kept only for binds. An empty password is refused before anything is sent (LDAP
 * treats it as an anonymous bind that "succeeds"). An unknown user binds a name that does not
 * exist, so it costs the same round trips as a wrong password.
 *
 * <p>Groups are the user's and, level by level, their groups' groups (test directories and
 * OpenLDAP lack AD's in-chain matching rule): {@code memberOf} values, or searches of
 * {@code member}/{@code uniqueMember}, at most {@link LdapSettings#maxNesting()} levels, each group
 * once (cycles are cut and counted).
 *
 * <p>Connections use LDAPS or StartTLS with the host name checked; plain LDAP only with
 * {@code allow-plain}. Connect and response timeouts come from the settings; the pools connect
 * lazily, so Schoolgate starts while the directory is down.
 */
public final class LdapDirectory implements PasswordSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);
  private static final String NO_SUCH_USER_RDN = "cn=schoolgate-no-such-user";

  private final LdapSettings settings;
  private final IdentityMetrics metrics;
  private final LDAPConnectionPool search;
  private final LDAPConnectionPool binds;
  private final Filter userFilter;
  private final String dummyDn;
  private final String description;

  /**
   * Sets up the pools (no connection is made yet).
   *
   * @throws IllegalArgumentException when the TLS trust or a filter cannot be read, naming which
   */
  public LdapDirectory(LdapSettings settings, IdentityMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.description = "the directory " + settings.urls().get(0);
    try {
      this.userFilter = settings.userFilter() == null || settings.userFilter().isBlank() ? null
          : Filter.create(settings.userFilter());
    } catch (LDAPException e) {
      throw new IllegalArgumentException("user-filter '" + settings.userFilter() + "' is not an LDAP filter: "
          + e.getMessage() + " (expected: e.g. (objectClass=person))", e);
    }
    try {
      this.dummyDn = NO_SUCH_USER_RDN + "," + new DN(settings.userBase());
    } catch (LDAPException e) {
      throw new IllegalArgumentException("user-base '" + settings.userBase() + "' is not a DN: " + e.getMessage()
          + " (expected: e.g. OU=People,DC=school,DC=example)", e);
    }
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) settings.connectTimeout().toMillis());
    options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
    options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    options.setUseSynchronousMode(false);
    SSLUtil ssl = new SSLUtil(trust(settings));
    String[] hosts = new String[settings.urls().size()];
    int[] ports = new int[hosts.length];
    boolean ldaps = false;
    for (int i = 0; i < hosts.length; i++) {
      URI u = settings.urls().get(i);
      ldaps = u.getScheme().equalsIgnoreCase("ldaps");
      hosts[i] = u.getHost();
      ports[i] = u.getPort() > 0 ? u.getPort() : ldaps ? 636 : 389;
    }
    if (!ldaps && !settings.startTls()) {
      log.warn("{}: plain LDAP without TLS (allow-plain): passwords cross the network in clear", description);
    }
    try {
      SocketFactory sockets = ldaps ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
      PostConnectProcessor startTls = settings.startTls()
          ? new StartTLSPostConnectProcessor(ssl.createSSLContext()) : null;
      FailoverServerSet servers = new FailoverServerSet(hosts, ports, sockets, options);
      BindRequest service = new SimpleBindRequest(settings.bindDn(), new String(settings.bindPassword()));
      this.search = new LDAPConnectionPool(servers, service, 0, settings.poolSize(), 1, startTls, false);
      this.binds = new LDAPConnectionPool(servers, null, 0, settings.poolSize(), 1, startTls, false);
    } catch (GeneralSecurityException | LDAPException e) {
      throw new IllegalArgumentException(description + ": cannot set up TLS or the pools: " + e.getMessage(), e);
    }
    search.setConnectionPoolName("schoolgate-ldap-search");
    binds.setConnectionPoolName("schoolgate-ldap-binds");
    search.setRetryFailedOperationsDueToInvalidConnections(true);
    binds.setRetryFailedOperationsDueToInvalidConnections(true);
  }

  private static TrustManager trust(LdapSettings settings) {
    if (settings.caFile() == null) {
      return JVMDefaultTrustManager.getInstance();
    }
    try {
      return new PEMFileTrustManager(settings.caFile().toFile());
    } catch (java.security.KeyStoreException e) {
      throw new IllegalArgumentException("ca-file " + settings.caFile() + " cannot be read: " + e.getMessage()
          + " (expected: PEM certificates of the CA that issued the directory's certificate)", e);
    }
  }

  @Override
  public Answer authenticate(String user, char[] password) throws SourceDownException {
    if (password.length == 0) {
      return new WrongPassword(); // an empty password is an anonymous bind in LDAP: never "valid"
    }
    SearchResultEntry entry = findUser(user);
    String dn = entry == null ? dummyDn : entry.getDN();
    try {
      binds.bind(new SimpleBindRequest(dn, new String(password)));
    } catch (LDAPException e) {
      if (isWrongCredentials(e.getResultCode())) {
        return entry == null ? new NoSuchUser() : new WrongPassword();
      }
      throw down("binding as the user", e);
    }
    if (entry == null) {
      log.error("{}: a bind as {} succeeded; that name must not exist", description, dummyDn);
      return new NoSuchUser();
    }
    return new Found(nameOf(entry, user), groupsOf(entry));
  }

  @Override
  public Answer groups(String user) throws SourceDownException {
    SearchResultEntry entry = findUser(user);
    return entry == null ? new NoSuchUser() : new Found(nameOf(entry, user), groupsOf(entry));
  }

  @Override
  public String describe() {
    return description;
  }

  /** The user's entry, or null when there is none or the name is ambiguous. */
  private SearchResultEntry findUser(String user) throws SourceDownException {
    Filter byName = Filter.createEqualityFilter(settings.userAttribute(), user);
    Filter filter = userFilter == null ? byName : Filter.createANDFilter(byName, userFilter);
    SearchRequest request = new SearchRequest(settings.userBase(), SearchScope.SUB, filter,
        settings.userAttribute(), "memberOf");
    request.setSizeLimit(2);
    SearchResult result;
    try {
      result = search.search(request);
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
        log.warn("{}: more than one entry has {}={}; refused", description, settings.userAttribute(), printable(user));
        return null;
      }
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        return null;
      }
      throw down("searching for the user", e);
    }
    if (result.getEntryCount() != 1) {
      if (result.getEntryCount() > 1) {
        log.warn("{}: more than one entry has {}={}; refused", description, settings.userAttribute(), printable(user));
      }
      return null;
    }
    return result.getSearchEntries().get(0);
  }

  /** Every group of {@code entry}, nested groups included, as DNs. */
  private List<String> groupsOf(SearchResultEntry entry) throws SourceDownException {
    Set<String> seen = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    List<String> level = direct(entry);
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String g : level) {
        if (!seen.add(key(g))) {
          if (metrics != null) {
            metrics.cut(IdentityMetrics.Cut.CYCLE);
          }
          continue;
        }
        names.add(g);
        next.add(g);
      }
      if (next.isEmpty()) {
        break;
      }
      if (depth >= settings.maxNesting()) {
        if (metrics != null) {
          metrics.cut(IdentityMetrics.Cut.DEPTH);
        }
        log.warn("{}: groups of {} nest deeper than {} levels; the rest are not followed", description,
            entry.getDN(), settings.maxNesting());
        break;
      }
      level = parents(next);
    }
    return names;
  }

  private List<String> direct(SearchResultEntry entry) throws SourceDownException {
    if (settings.membership() == LdapSettings.Membership.MEMBER_OF) {
      String[] values = entry.getAttributeValues("memberOf");
      return values == null ? List.of() : List.of(values);
    }
    return membersOf(List.of(entry.getDN()));
  }

  /** The groups the given groups are in. */
  private List<String> parents(List<String> groups) throws SourceDownException {
    if (settings.membership() == LdapSettings.Membership.MEMBER) {
      return membersOf(groups);
    }
    List<String> out = new ArrayList<>();
    for (String g : groups) {
      try {
        SearchResultEntry e = search.getEntry(g, "memberOf");
        String[] values = e == null ? null : e.getAttributeValues("memberOf");
        if (values != null) {
          out.addAll(List.of(values));
        }
      } catch (LDAPException e) {
        if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
          throw down("reading group " + g, e);
        }
      }
    }
    return out;
  }

  /** Groups whose {@code member} or {@code uniqueMember} is one of {@code dns}: one search. */
  private List<String> membersOf(List<String> dns) throws SourceDownException {
    List<Filter> any = new ArrayList<>();
    for (String dn : dns) {
      any.add(Filter.createEqualityFilter("member", dn));
      any.add(Filter.createEqualityFilter("uniqueMember", dn));
    }
    String base = settings.groupBase() == null ? settings.userBase() : settings.groupBase();
    try {
      SearchResult r = search.search(base, SearchScope.SUB, Filter.createORFilter(any), "1.1");
      List<String> out = new ArrayList<>();
      r.getSearchEntries().forEach(e -> out.add(e.getDN()));
      return out;
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        return List.of();
      }
      throw down("searching groups", e);
    }
  }

  private String nameOf(SearchResultEntry entry, String given) {
    String v = entry.getAttributeValue(settings.userAttribute());
    return v == null ? given : v;
  }

  private static String key(String dn) {
    try {
      return new DN(dn).toNormalizedString();
    } catch (LDAPException e) {
      return dn.toLowerCase(Locale.ROOT);
    }
  }

  private static boolean isWrongCredentials(ResultCode code) {
    return code == ResultCode.INVALID_CREDENTIALS || code == ResultCode.UNWILLING_TO_PERFORM
        || code == ResultCode.INAPPROPRIATE_AUTHENTICATION || code == ResultCode.NO_SUCH_OBJECT
        || code == ResultCode.INVALID_DN_SYNTAX;
  }

  private SourceDownException down(String doing, LDAPException e) {
    boolean timeout = e.getResultCode() == ResultCode.TIMEOUT;
    String what = timeout ? "did not answer in time" : "failed (" + e.getResultCode() + ")";
    return new SourceDownException(description + " " + what + " " + doing, timeout, e);
  }

  private static String printable(String s) {
    return s.replaceAll("[^\\p{Print}]", "?");
  }

  @Override
  public void close() {
    search.close();
    binds.close();
  }
}
