package org.schoolgate.deploy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.proxy.log.export.LogExports;
import org.schoolgate.reports.ReportsSettings;
import org.schoolgate.store.DatabaseConfig;

/**
 * How Schoolgate runs: where it listens, which policy it enforces, where it logs and how it
 * resolves names. Read from YAML by {@link RuntimeConfigLoader} or built by {@link #embedded}.
 *
 * @param proxy the proxy listener and its timeouts
 * @param admin the admin API listener and the URL browsers reach it at
 * @param policy the policy file
 * @param accessLogDir the directory for the daily access log files
 * @param dns how the proxy resolves names, and the filtering DNS resolver
 * @param database where accounts, unblocks and the audit trail are kept
 * @param maxUnblock the longest unblock ("period of study") anyone may request
 * @param safeguarding alert delivery, incidents and the weekly digest
 * @param interception the school's CA for selective HTTPS interception, or null (nothing is
 *     intercepted, whatever the policy's {@code interception:} section says)
 * @param identity logon sessions and RADIUS accounting ({@code identity:}, {@code radius:})
 * @param logExports copies of the access log ({@code access-log.squid}, {@code access-log.syslog})
 * @param reports the reports over the access log ({@code reports:}: retention in days, DuckDB's
 *     memory and threads)
 * @param oidc sign-in with the school's OpenID Connect provider ({@code oidc:}), or null for none
 */
public record RuntimeConfig(
    ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns,
    DatabaseConfig database, Duration maxUnblock, SafeguardingSettings safeguarding, CaSettings interception,
    IdentitySettings identity, LogExports logExports,
    ReportsSettings reports, org.schoolgate.admin.oidc.OidcSettings oidc) {

  /** The default cap on an unblock's length: 14 days. */
  public static final Duration DEFAULT_MAX_UNBLOCK = Duration.ofDays(14);

  /** Default proxy listener: all interfaces, port 3128. */
  public static final InetSocketAddress DEFAULT_PROXY_LISTEN = new InetSocketAddress("0.0.0.0", 3128);
  /** Default admin listener: loopback only; put it behind TLS (a reverse proxy) before opening it to the network. */
  public static final InetSocketAddress DEFAULT_ADMIN_LISTEN = new InetSocketAddress("127.0.0.1", 8080);

  public RuntimeConfig {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(policy, "policy (expected: the path of the policy YAML file)");
    Objects.requireNonNull(accessLogDir, "access-log.dir (expected: a directory for the access log)");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(maxUnblock, "unblocks.max-length");
    Objects.requireNonNull(safeguarding, "safeguarding");
    identity = identity == null ? IdentitySettings.DEFAULTS : identity;
    logExports = logExports == null ? LogExports.NONE : logExports;
    reports = reports == null ? ReportsSettings.DEFAULTS : reports;
    if (admin.tls() != null && admin.tls().schoolCa() && interception == null) {
      throw new IllegalArgumentException("admin.tls.school-ca needs the school's CA: add the interception: section"
          + " (or run 'schoolgate ca init'), or give admin.tls.certificate and admin.tls.key instead");
    }
    if (maxUnblock.isNegative() || maxUnblock.isZero() || maxUnblock.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException("unblocks.max-length is " + maxUnblock
          + " (expected: a positive duration of at most a year, such as 14d)");
    }
  }

  /** A configuration without OpenID Connect sign-in. */
  public RuntimeConfig(ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns,
      DatabaseConfig database, Duration maxUnblock, SafeguardingSettings safeguarding, CaSettings interception,
      IdentitySettings identity, LogExports logExports, ReportsSettings reports) {
    this(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding, interception, identity,
        logExports, reports, null);
  }

  /** This configuration with sign-in through the school's OpenID Connect provider (null: none). */
  public RuntimeConfig withOidc(org.schoolgate.admin.oidc.OidcSettings newOidc) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
        interception, identity, logExports, reports, newOidc);
  }

  /** A configuration without copies of the access log, with the default reports settings (90 days kept). */
  public RuntimeConfig(ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns,
      DatabaseConfig database, Duration maxUnblock, SafeguardingSettings safeguarding, CaSettings interception,
      IdentitySettings identity) {
    this(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding, interception, identity,
        LogExports.NONE, null);
  }

  /** A configuration with default identity settings (logon sessions on, no RADIUS). */
  public RuntimeConfig(ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns,
      DatabaseConfig database, Duration maxUnblock, SafeguardingSettings safeguarding, CaSettings interception) {
    this(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding, interception, null);
  }

  /** A configuration with default safeguarding settings (no delivery) and no interception CA. */
  public RuntimeConfig(ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns,
      DatabaseConfig database, Duration maxUnblock) {
    this(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, SafeguardingSettings.DEFAULTS, null);
  }

  /** A configuration with the database beside the policy file and the default unblock cap. */
  public RuntimeConfig(ProxySettings proxy, AdminSettings admin, Path policy, Path accessLogDir, DnsSettings dns) {
    this(proxy, admin, policy, accessLogDir, dns,
        DatabaseConfig.sqlite(policy.toAbsolutePath().getParent()), DEFAULT_MAX_UNBLOCK);
  }

  /**
   * The embedded default: the given policy, proxy on 3128, admin on 127.0.0.1:8080, the filtering
   * DNS resolver on 127.0.0.1:8053 (UDP and TCP), log in {@code dataDir/logs}; the school CA from
   * {@code dataDir/ca} when {@code schoolgate ca init} has created it there.
   */
  public static RuntimeConfig embedded(Path dataDir, Path policy) {
    return new RuntimeConfig(ProxySettings.defaults(DEFAULT_PROXY_LISTEN),
        new AdminSettings(DEFAULT_ADMIN_LISTEN, null), policy, dataDir.resolve("logs"),
        DnsSettings.system().withFilter(DnsFilterSettings.embedded()), DatabaseConfig.sqlite(dataDir),
        DEFAULT_MAX_UNBLOCK, SafeguardingSettings.DEFAULTS, CaSettings.inDataDir(dataDir));
  }

  /** This configuration with the proxy on {@code port} (same address). */
  public RuntimeConfig withProxyPort(int port) {
    return new RuntimeConfig(proxy.withListen(new InetSocketAddress(proxy.listen().getAddress(), port)),
        admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding, interception, identity, logExports, reports, oidc);
  }

  /** This configuration with the admin API on {@code port} (same address). */
  public RuntimeConfig withAdminPort(int port) {
    return new RuntimeConfig(proxy,
        admin.withListen(new InetSocketAddress(admin.listen().getAddress(), port)),
        policy, accessLogDir, dns, database, maxUnblock, safeguarding, interception, identity, logExports, reports, oidc);
  }

  /** This configuration with the filtering DNS resolver on {@code port} (same addresses); unchanged when it is off. */
  public RuntimeConfig withDnsFilterPort(int port) {
    return dns.filter() == null ? this : withDns(dns.withFilter(dns.filter().withPort(port)));
  }

  /** This configuration with other name resolution. */
  public RuntimeConfig withDns(DnsSettings newDns) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, newDns, database, maxUnblock, safeguarding,
        interception, identity, logExports, reports, oidc);
  }

  /** This configuration with other safeguarding settings. */
  public RuntimeConfig withSafeguarding(SafeguardingSettings newSafeguarding) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, newSafeguarding,
        interception, identity, logExports, reports, oidc);
  }

  /** This configuration with another interception CA (null: none). */
  public RuntimeConfig withInterception(CaSettings newInterception) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
        newInterception, identity, logExports, reports, oidc);
  }

  /** This configuration with other copies of the access log. */
  public RuntimeConfig withLogExports(LogExports newExports) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
        interception, identity, newExports, reports, oidc);
  }

  /** This configuration with other reports settings. */
  public RuntimeConfig withReports(ReportsSettings newReports) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
        interception, identity, logExports, newReports, oidc);
  }

  /** This configuration with other identity settings. */
  public RuntimeConfig withIdentity(IdentitySettings newIdentity) {
    return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
        interception, newIdentity, logExports, reports, oidc);
  }

  /**
   * The proxy listener.
   *
   * @param listen address and port to accept browsers on
   * @param connectTimeout how long to wait for an origin to accept a connection
   * @param idleTimeout how long an idle connection is kept open
   * @param maxRequestLineBytes the longest request line accepted (longer gets 414)
   * @param contentAnalysis the content-analysis threads and queues ({@code proxy.content-analysis})
   */
  public record ProxySettings(
      InetSocketAddress listen, Duration connectTimeout, Duration idleTimeout, int maxRequestLineBytes,
      ProxyConfig.Connections connections, ProxyConfig.Network network,
      org.schoolgate.proxy.content.AnalysisSettings contentAnalysis) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(70);
    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8192;

    public ProxySettings {
      Objects.requireNonNull(listen, "proxy.listen");
      requirePositive(connectTimeout, "proxy.connect-timeout");
      requirePositive(idleTimeout, "proxy.idle-timeout");
      if (maxRequestLineBytes < 1024 || maxRequestLineBytes > 1 << 20) {
        throw new IllegalArgumentException("proxy.max-request-line-bytes is " + maxRequestLineBytes
            + " (expected: between 1024 and 1048576)");
      }
      Objects.requireNonNull(connections, "proxy connections (limits, head timeout, upstream pool)");
      Objects.requireNonNull(network, "proxy network (transparent listeners, PAC, page listener)");
      Objects.requireNonNull(contentAnalysis, "proxy.content-analysis (threads, queue, move-after)");
    }

    /** Settings with the default content-analysis threads and queues. */
    public ProxySettings(InetSocketAddress listen, Duration connectTimeout, Duration idleTimeout,
        int maxRequestLineBytes, ProxyConfig.Connections connections, ProxyConfig.Network network) {
      this(listen, connectTimeout, idleTimeout, maxRequestLineBytes, connections, network,
          org.schoolgate.proxy.content.AnalysisSettings.DEFAULTS);
    }

    /** Settings without transparent listeners, PAC settings or page listener. */
    public ProxySettings(InetSocketAddress listen, Duration connectTimeout, Duration idleTimeout,
        int maxRequestLineBytes, ProxyConfig.Connections connections) {
      this(listen, connectTimeout, idleTimeout, maxRequestLineBytes, connections,
          ProxyConfig.Network.NONE);
    }

    /** Settings with the default limits, head timeout, upstream pool and transport. */
    public ProxySettings(InetSocketAddress listen, Duration connectTimeout, Duration idleTimeout,
        int maxRequestLineBytes) {
      this(listen, connectTimeout, idleTimeout, maxRequestLineBytes, ProxyConfig.Connections.DEFAULTS);
    }

    static ProxySettings defaults(InetSocketAddress listen) {
      return new ProxySettings(listen, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
          DEFAULT_MAX_REQUEST_LINE_BYTES);
    }

    ProxySettings withListen(InetSocketAddress newListen) {
      return new ProxySettings(newListen, connectTimeout, idleTimeout, maxRequestLineBytes, connections,
          network, contentAnalysis);
    }

    private static void requirePositive(Duration d, String field) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " is " + d + " (expected: a positive duration such as 10s)");
      }
    }
  }

  /**
   * The admin API listener.
   *
   * @param listen address and port
   * @param publicUrl the URL browsers reach the admin API at, for the block page's request-access
   *     link; null means {@code http(s)://<listen>} (loopback when listening on all interfaces)
   * @param tls HTTPS on the admin port ({@code admin.tls:}), or null for plain HTTP
   * @param allowPlainHttp listen beyond loopback without TLS anyway ({@code admin.allow-plain-http}),
   *     e.g. behind a TLS reverse proxy; start-up warns
   * @param trustedProxies reverse proxies the school runs in front of the admin API ({@code
   *     admin.trusted-proxies}): their {@code Forwarded} / {@code X-Forwarded-For} names the
   *     client; nobody else's is believed (the Schoolgate proxy proves itself with a per-process key)
   * @param directoryRoles directory groups whose members sign in to the admin API with their
   *     directory password, and the role each gives ({@code admin.directory-roles}); empty: local
   *     accounts only
   * @param signInLimits how console and API sign-in failures are throttled ({@code
   *     admin.sign-in-limits}); null: the defaults
   * @param deviceGuesses how many wrong codes and passwords the device sign-in page takes ({@code
   *     admin.device-sign-in-limits}); null: the defaults
   */
  public record AdminSettings(InetSocketAddress listen, URI publicUrl, AdminTlsSettings tls, boolean allowPlainHttp,
      List<Subnet> trustedProxies, List<org.schoolgate.admin.signin.DirectoryRoles.Mapping> directoryRoles,
      org.schoolgate.admin.signin.SignInLimits signInLimits, org.schoolgate.admin.signin.GuessLimits deviceGuesses) {
    public AdminSettings {
      Objects.requireNonNull(listen, "admin.listen");
      trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
      directoryRoles = directoryRoles == null ? List.of() : List.copyOf(directoryRoles);
      if (publicUrl != null && (!publicUrl.isAbsolute() || publicUrl.getHost() == null
          || !("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme())))) {
        throw new IllegalArgumentException("admin.public-url '" + publicUrl
            + "' is not an http(s) URL (expected: the address browsers reach the admin API at,"
            + " such as http://filter.school.example:8080)");
      }
      if (tls != null && publicUrl != null && !"https".equals(publicUrl.getScheme())) {
        throw new IllegalArgumentException("admin.public-url '" + publicUrl + "' is http while admin.tls is set"
            + " (expected: https://" + publicUrl.getRawAuthority() + publicUrl.getRawPath()
            + ", so the block page links to the HTTPS address)");
      }
      if (tls != null && tls.schoolCa() && publicUrl == null && listen.getAddress().isAnyLocalAddress()) {
        throw new IllegalArgumentException("admin.tls.school-ca needs admin.public-url (expected: the https name"
            + " browsers use, such as https://filter.school.example; the certificate is issued for its host)");
      }
      if (tls == null && !allowPlainHttp && !listen.getAddress().isLoopbackAddress()) {
        throw new IllegalArgumentException("admin.listen " + listen.getAddress().getHostAddress() + ":"
            + listen.getPort() + " reaches beyond this machine without TLS (expected: admin.tls with a certificate"
            + " and key, or school-ca: true; or admin.allow-plain-http: true when a TLS reverse proxy stands in front)");
      }
    }

    /** The default sign-in limits. */
    public AdminSettings(InetSocketAddress listen, URI publicUrl, AdminTlsSettings tls, boolean allowPlainHttp,
        List<Subnet> trustedProxies, List<org.schoolgate.admin.signin.DirectoryRoles.Mapping> directoryRoles) {
      this(listen, publicUrl, tls, allowPlainHttp, trustedProxies, directoryRoles, null, null);
    }

    /** No directory sign-in. */
    public AdminSettings(InetSocketAddress listen, URI publicUrl, AdminTlsSettings tls, boolean allowPlainHttp,
        List<Subnet> trustedProxies) {
      this(listen, publicUrl, tls, allowPlainHttp, trustedProxies, List.of());
    }

    /** No trusted reverse proxies. */
    public AdminSettings(InetSocketAddress listen, URI publicUrl, AdminTlsSettings tls, boolean allowPlainHttp) {
      this(listen, publicUrl, tls, allowPlainHttp, List.of());
    }

    /** Plain HTTP, no explicit permission to listen beyond loopback, no trusted reverse proxies. */
    public AdminSettings(InetSocketAddress listen, URI publicUrl) {
      this(listen, publicUrl, null, false);
    }

    AdminSettings withListen(InetSocketAddress newListen) {
      return new AdminSettings(newListen, publicUrl, tls, allowPlainHttp, trustedProxies, directoryRoles, signInLimits,
          deviceGuesses);
    }

    /** {@link #publicUrl()} or the URL derived from {@link #listen()}, without a trailing slash. */
    public String effectivePublicUrl() {
      return effectivePublicUrl(listen);
    }

    /**
     * {@link #publicUrl()} or the URL derived from {@code bound}, the address the admin API
     * actually listens on (its real port when configured with port 0); loopback when bound to
     * all interfaces; https when {@link #tls()} is set. No trailing slash.
     */
    public String effectivePublicUrl(InetSocketAddress bound) {
      if (publicUrl != null) {
        String s = publicUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
      }
      InetAddress a = bound.getAddress();
      String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
      if (host.indexOf(':') >= 0) {
        host = "[" + host + "]";
      }
      return (tls == null ? "http://" : "https://") + host + ":" + bound.getPort();
    }
  }

  /**
   * {@code admin.tls:}: a certificate chain and key from PEM files, or ({@code school-ca: true}) a
   * certificate the school's CA issues at start for the public URL's host.
   *
   * @param certificate PEM chain, server certificate first; null with {@code schoolCa}
   * @param key PEM key (chmod 600); null with {@code schoolCa}
   * @param keyPasswordFile the key's password, or null
   * @param schoolCa issue the certificate from the {@code interception:} CA
   * @param redirectFrom a plain listener that only redirects to HTTPS, or null
   * @param hstsMaxAge the Strict-Transport-Security max-age
   */
  public record AdminTlsSettings(Path certificate, Path key, Path keyPasswordFile, boolean schoolCa,
      InetSocketAddress redirectFrom, Duration hstsMaxAge) {
    public AdminTlsSettings {
      if (schoolCa == (certificate != null || key != null)) {
        throw new IllegalArgumentException("admin.tls: give certificate and key, or school-ca: true (not both,"
            + " not neither)");
      }
      if (!schoolCa && (certificate == null || key == null)) {
        throw new IllegalArgumentException("admin.tls: certificate and key go together (expected: the PEM chain"
            + " and its PEM key)");
      }
      Objects.requireNonNull(hstsMaxAge, "admin.tls.hsts-max-age");
    }
  }

  /**
   * Names: how the proxy resolves them ({@code dns:}), and the filtering DNS resolver the school's
   * devices may ask ({@code dns-filter:}).
   *
   * @param servers DNS servers the proxy asks; empty means the system's (resolv.conf)
   * @param staticHosts names the proxy answers without asking DNS, e.g. intranet hosts
   * @param filter the filtering DNS resolver, or null when it is off
   */
  public record DnsSettings(List<InetSocketAddress> servers, Map<String, InetAddress> staticHosts,
      DnsFilterSettings filter) {
    public DnsSettings {
      servers = List.copyOf(servers);
      staticHosts = Map.copyOf(staticHosts);
    }

    /** The proxy's name resolution, no filtering resolver. */
    public DnsSettings(List<InetSocketAddress> servers, Map<String, InetAddress> staticHosts) {
      this(servers, staticHosts, null);
    }

    static DnsSettings system() {
      return new DnsSettings(List.of(), Map.of());
    }

    /** These settings with another filtering resolver (null: none). */
    public DnsSettings withFilter(DnsFilterSettings newFilter) {
      return new DnsSettings(servers, staticHosts, newFilter);
    }
  }
}
