package org.schoolgate.deploy;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.proxy.log.export.LogExports;
import org.schoolgate.proxy.transport.TransportChoice;
import org.schoolgate.reports.ReportsSettings;
import org.schoolgate.store.DatabaseConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the runtime configuration YAML with SnakeYAML's node API, so every error names
 * {@code file:line: field}. All errors are collected and reported together. Relative paths are
 * resolved against the directory of the configuration file. See {@code schoolgate.example.yaml}.
 */
public final class RuntimeConfigLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  /** Environment variable holding the database password when no password-file is given. */
  static final String DB_PASSWORD_ENV = "SCHOOLGATE_DB_PASSWORD";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final String ADDRESS_EXPECTED =
      "IP:PORT such as 0.0.0.0:3128, 127.0.0.1:8080 or [::1]:8080";

  private final Path file;
  private final Path baseDir;
  private final List<String> errors = new ArrayList<>();

  private RuntimeConfigLoader(Path file) {
    this.file = file;
    Path parent = file.toAbsolutePath().getParent();
    this.baseDir = parent == null ? Path.of("") : parent;
  }

  /** Reads and validates {@code file}; throws with every problem found. */
  public static RuntimeConfig load(Path file) throws ConfigException {
    return new RuntimeConfigLoader(file).read();
  }

  /**
   * Reads only the {@code database:} section of {@code file}, for commands that need nothing else
   * (audit verify and export): the policy, lists and everything else may be missing.
   */
  public static DatabaseConfig loadDatabase(Path file) throws ConfigException {
    RuntimeConfigLoader loader = new RuntimeConfigLoader(file);
    Node root = loader.compose();
    Node database = null;
    if (root instanceof MappingNode top) {
      for (NodeTuple t : top.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("database")) {
          database = t.getValueNode();
        }
      }
    }
    DatabaseConfig config = loader.database(database);
    if (!loader.errors.isEmpty()) {
      throw new ConfigException(loader.errors);
    }
    return config;
  }

  private Node compose() throws ConfigException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new Yaml(new LoaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(List.of(file + ":" + line + ": not valid YAML: " + e.getProblem()));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read: " + e.getMessage()));
    }
  }

  /** {@code dns-filter.block-answer}'s addresses, the page listener's by default (read before the proxy). */
  private ProxyNetworkReader.BlockAddress blockAddress;

  private RuntimeConfig read() throws ConfigException {
    Node root = compose();
    if (!(root instanceof MappingNode top)) {
      throw new ConfigException(List.of(file + ":1: the file is empty or not a mapping"
          + " (expected: keys proxy, admin, policy, access-log, dns, dns-filter, database, unblocks, alerts,"
          + " incidents, digest, interception, identity, radius, reports, oidc)"));
    }
    Map<String, Node> keys = mapping(top, "", Set.of("proxy", "admin", "policy", "access-log", "dns", "database",
        "unblocks", "alerts", "incidents", "digest", InterceptionReader.KEY, IdentityReader.IDENTITY,
        IdentityReader.RADIUS, DnsFilterReader.KEY, ReportsReader.KEY, OidcReader.KEY));

    blockAddress = DnsFilterReader.blockAddress(keys.get(DnsFilterReader.KEY));
    RuntimeConfig.ProxySettings proxy = proxy(keys.get("proxy"));
    RuntimeConfig.AdminSettings admin = admin(keys.get("admin"));
    Path policy = null;
    if (keys.get("policy") == null) {
      errors.add(file + ":1: policy: is required (expected: the path of the policy YAML file)");
    } else {
      policy = path(keys.get("policy"), "policy");
    }
    Path accessLogDir = baseDir.resolve("logs");
    Map<String, Node> log = mapping(keys.get("access-log"), "access-log", LogExportsReader.KEYS);
    if (log.get("dir") != null) {
      accessLogDir = path(log.get("dir"), "access-log.dir");
    }
    LogExports logExports = new LogExportsReader(this).read(log);
    RuntimeConfig.DnsSettings dns = dns(keys.get("dns"))
        .withFilter(new DnsFilterReader(this).read(keys.get(DnsFilterReader.KEY)));
    DatabaseConfig database = database(keys.get("database"));
    Duration maxUnblock = RuntimeConfig.DEFAULT_MAX_UNBLOCK;
    Map<String, Node> unblocks = mapping(keys.get("unblocks"), "unblocks", Set.of("max-length"));
    if (unblocks.get("max-length") != null) {
      maxUnblock = duration(unblocks.get("max-length"), "unblocks.max-length");
    }
    SafeguardingSettings safeguarding = new SafeguardingReader(this)
        .read(keys.get("alerts"), keys.get("incidents"), keys.get("digest"));
    CaSettings interception = new InterceptionReader(this).read(keys.get(InterceptionReader.KEY));
    IdentitySettings identity = new IdentityReader(this).read(keys.get(IdentityReader.IDENTITY),
        keys.get(IdentityReader.RADIUS));
    if (admin != null && !admin.directoryRoles().isEmpty()
        && (identity == null || identity.signIn() == null || identity.signIn().directory() == null)) {
      error(directoryRolesNode, "admin.directory-roles", "needs the school's directory (expected:"
          + " identity.directory with its urls, bind-dn and user-base; or leave directory-roles out)");
    }
    ReportsSettings reports = new ReportsReader(this).read(keys.get(ReportsReader.KEY));
    org.schoolgate.admin.oidc.OidcSettings oidc = new OidcReader(this).read(keys.get(OidcReader.KEY),
        admin == null ? null : admin.publicUrl());
    if (oidc != null && oidc.groups() == org.schoolgate.admin.oidc.OidcSettings.GroupSource.DIRECTORY
        && (identity == null || identity.signIn() == null || identity.signIn().directory() == null)) {
      error(keys.get(OidcReader.KEY), "oidc.groups", "is directory but there is no directory (expected:"
          + " identity.directory with its urls, bind-dn and user-base; or groups: claim or none)");
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    try {
      return new RuntimeConfig(proxy, admin, policy, accessLogDir, dns, database, maxUnblock, safeguarding,
          interception, identity, logExports, reports, oidc);
    } catch (IllegalArgumentException e) {
      Node at = e.getMessage().startsWith("admin.") ? keys.get("admin") : unblocks.get("max-length");
      throw new ConfigException(List.of(file + ":" + line(at) + ": " + e.getMessage()));
    }
  }

  private RuntimeConfig.ProxySettings proxy(Node node) {
    Set<String> keys = new java.util.HashSet<>(Set.of("listen", "connect-timeout", "idle-timeout",
        "max-request-line-bytes", "head-timeout", "max-connections", "max-connections-per-client",
        "upstream-idle-timeout", "max-idle-per-origin", "drain-timeout", "native-transport", "transport",
        ContentAnalysisReader.KEY));
    keys.addAll(ProxyNetworkReader.KEYS);
    Map<String, Node> m = mapping(node, "proxy", keys);
    InetSocketAddress listen = m.get("listen") == null ? RuntimeConfig.DEFAULT_PROXY_LISTEN
        : address(m.get("listen"), "proxy.listen");
    Duration connect = m.get("connect-timeout") == null
        ? RuntimeConfig.ProxySettings.DEFAULT_CONNECT_TIMEOUT
        : duration(m.get("connect-timeout"), "proxy.connect-timeout");
    Duration idle = m.get("idle-timeout") == null ? RuntimeConfig.ProxySettings.DEFAULT_IDLE_TIMEOUT
        : duration(m.get("idle-timeout"), "proxy.idle-timeout");
    int maxLine = RuntimeConfig.ProxySettings.DEFAULT_MAX_REQUEST_LINE_BYTES;
    if (m.get("max-request-line-bytes") != null) {
      String s = scalar(m.get("max-request-line-bytes"), "proxy.max-request-line-bytes");
      try {
        maxLine = s == null ? maxLine : Integer.parseInt(s);
      } catch (NumberFormatException e) {
        error(m.get("max-request-line-bytes"), "proxy.max-request-line-bytes",
            "'" + s + "' is not a number (expected: bytes between 1024 and 1048576)");
      }
    }
    ProxyConfig.Connections d = ProxyConfig.Connections.DEFAULTS;
    Duration head = optionalDuration(m, "head-timeout", d.headTimeout(), Duration.ofMillis(100),
        Duration.ofMinutes(10));
    int maxConnections = integer(m, "max-connections", d.maxConnections(), 1, 1_000_000);
    int perClient = integer(m, "max-connections-per-client", d.maxConnectionsPerClient(), 1,
        1_000_000);
    if (perClient > maxConnections) {
      error(m.get("max-connections-per-client"), "proxy.max-connections-per-client", perClient
          + " is more than max-connections, " + maxConnections
          + " (expected: at most max-connections)");
      perClient = maxConnections;
    }
    Duration upstreamIdle = optionalDuration(m, "upstream-idle-timeout", d.upstreamIdleTimeout(),
        Duration.ofSeconds(1), Duration.ofHours(1));
    int idlePerOrigin = integer(m, "max-idle-per-origin", d.maxIdlePerOrigin(), 0, 1024);
    Duration drain = optionalDuration(m, "drain-timeout", d.drainTimeout(), Duration.ZERO,
        Duration.ofMinutes(10));
    TransportChoice transport = transport(m, d.transport());
    ProxyConfig.Network network = new ProxyNetworkReader(this, blockAddress).read(m);
    org.schoolgate.proxy.content.AnalysisSettings analysis =
        new ContentAnalysisReader(this).read(m.get(ContentAnalysisReader.KEY));
    if (network != null && network.transparent() != null && transport == TransportChoice.NIO) {
      Node at = m.get("transport") != null ? m.get("transport") : m.get("native-transport");
      error(at, at == m.get("transport") ? "proxy.transport" : "proxy.native-transport",
          "Java NIO cannot serve the transparent listeners (tproxy needs IP_TRANSPARENT, redirect"
          + " reads SO_ORIGINAL_DST from the socket) (expected: transport auto, epoll or"
          + " io_uring, or transparent: false)");
    }
    if (listen == null || connect == null || idle == null || head == null || upstreamIdle == null
        || drain == null || network == null || analysis == null) {
      return null;
    }
    try {
      return new RuntimeConfig.ProxySettings(listen, connect, idle, maxLine,
          new ProxyConfig.Connections(head, maxConnections, perClient, upstreamIdle, idlePerOrigin,
              drain, transport, false), network, analysis);
    } catch (IllegalArgumentException e) {
      errors.add(file + ":" + line(node) + ": " + e.getMessage());
      return null;
    }
  }

  /** Where {@code admin.directory-roles} was written (checked against {@code identity.directory}). */
  private Node directoryRolesNode;

  /** {@code proxy.<key>} as a duration in {@code min..max}, or {@code otherwise} when absent. */
  private Duration optionalDuration(Map<String, Node> m, String key, Duration otherwise,
      Duration min, Duration max) {
    if (m.get(key) == null) {
      return otherwise;
    }
    Duration d = duration(m.get(key), "proxy." + key);
    if (d != null && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
      error(m.get(key), "proxy." + key, "is " + d + " (expected: between " + min + " and " + max
          + ", such as " + otherwise.toSeconds() + "s)");
      return null;
    }
    return d;
  }

  /** {@code proxy.<key>} as a whole number in {@code min..max}, or {@code otherwise} when absent. */
  private int integer(Map<String, Node> m, String key, int otherwise, int min, int max) {
    Node node = m.get(key);
    if (node == null) {
      return otherwise;
    }
    String s = scalar(node, "proxy." + key);
    if (s == null) {
      return otherwise;
    }
    try {
      int v = Integer.parseInt(s.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(node, "proxy." + key, "'" + s + "' (expected: a whole number between " + min + " and "
        + max + ")");
    return otherwise;
  }

  /** {@code proxy.<key>} as true or false, or {@code otherwise} when absent. */
  /**
   * {@code proxy.transport} (auto, epoll, io_uring, nio), or the older {@code native-transport}
   * flag (true: auto, false: nio); not both.
   */
  private TransportChoice transport(Map<String, Node> m, TransportChoice otherwise) {
    Node node = m.get("transport");
    if (node == null) {
      return flag(m, "native-transport", true) ? otherwise : TransportChoice.NIO;
    }
    if (m.get("native-transport") != null) {
      error(m.get("native-transport"), "proxy.native-transport", "is the older spelling of"
          + " transport, which is also set (expected: transport only; native-transport: false is"
          + " transport: nio)");
    }
    String s = scalar(node, "proxy.transport");
    if (s == null) {
      return otherwise;
    }
    try {
      return TransportChoice.parse(s);
    } catch (IllegalArgumentException e) {
      error(node, "proxy.transport", e.getMessage());
      return otherwise;
    }
  }

  private boolean flag(Map<String, Node> m, String key, boolean otherwise) {
    Node node = m.get(key);
    if (node == null) {
      return otherwise;
    }
    String s = scalar(node, "proxy." + key);
    if ("true".equals(s) || "false".equals(s)) {
      return Boolean.parseBoolean(s);
    }
    if (s != null) {
      error(node, "proxy." + key, "'" + s + "' (expected: true or false)");
    }
    return otherwise;
  }

  private RuntimeConfig.AdminSettings admin(Node node) {
    Map<String, Node> m = mapping(node, "admin", Set.of("listen", "public-url", "tls", "allow-plain-http",
        "trusted-proxies", "directory-roles", SignInLimitsReader.SIGN_IN, SignInLimitsReader.DEVICE));
    SignInLimitsReader limits = new SignInLimitsReader(this);
    org.schoolgate.admin.signin.SignInLimits signInLimits = limits.signIn(m.get(SignInLimitsReader.SIGN_IN));
    org.schoolgate.admin.signin.GuessLimits deviceGuesses = limits.device(m.get(SignInLimitsReader.DEVICE));
    List<Subnet> trusted = trustedProxies(m.get("trusted-proxies"));
    directoryRolesNode = m.get("directory-roles");
    List<org.schoolgate.admin.signin.DirectoryRoles.Mapping> roles = directoryRoles(directoryRolesNode);
    InetSocketAddress listen = m.get("listen") == null ? RuntimeConfig.DEFAULT_ADMIN_LISTEN
        : address(m.get("listen"), "admin.listen");
    URI publicUrl = null;
    if (m.get("public-url") != null) {
      String s = scalar(m.get("public-url"), "admin.public-url");
      try {
        publicUrl = s == null ? null : new URI(s);
      } catch (URISyntaxException e) {
        error(m.get("public-url"), "admin.public-url", "'" + s + "' is not a URL: " + e.getReason()
            + " (expected: such as http://filter.school.example:8080)");
        return null;
      }
    }
    RuntimeConfig.AdminTlsSettings tls = adminTls(m.get("tls"));
    boolean plain = false;
    if (m.get("allow-plain-http") != null) {
      String s = scalar(m.get("allow-plain-http"), "admin.allow-plain-http");
      plain = "true".equals(s);
      if (!plain && !"false".equals(s)) {
        error(m.get("allow-plain-http"), "admin.allow-plain-http", "'" + s + "' (expected: true or false)");
      }
    }
    if (listen == null || (m.get("tls") != null && tls == null)) {
      return null;
    }
    try {
      return new RuntimeConfig.AdminSettings(listen, publicUrl, tls, plain, trusted, roles, signInLimits,
          deviceGuesses);
    } catch (IllegalArgumentException e) {
      errors.add(file + ":" + line(m.get(e.getMessage().contains("public-url") ? "public-url" : "listen")) + ": "
          + e.getMessage());
      return null;
    }
  }

  /** {@code admin.tls: {certificate, key, key-password-file} | {school-ca: true}, redirect-from, hsts-max-age}. */
  private RuntimeConfig.AdminTlsSettings adminTls(Node node) {
    Map<String, Node> m = mapping(node, "admin.tls", Set.of("certificate", "key", "key-password-file", "school-ca",
        "redirect-from", "hsts-max-age"));
    if (m.isEmpty()) {
      return null;
    }
    Path cert = m.get("certificate") == null ? null : path(m.get("certificate"), "admin.tls.certificate");
    Path key = m.get("key") == null ? null : path(m.get("key"), "admin.tls.key");
    Path password = m.get("key-password-file") == null ? null
        : path(m.get("key-password-file"), "admin.tls.key-password-file");
    boolean schoolCa = m.get("school-ca") != null && "true".equals(scalar(m.get("school-ca"), "admin.tls.school-ca"));
    InetSocketAddress redirect = m.get("redirect-from") == null ? null
        : address(m.get("redirect-from"), "admin.tls.redirect-from");
    Duration hsts = m.get("hsts-max-age") == null ? org.schoolgate.admin.tls.AdminTls.DEFAULT_HSTS
        : duration(m.get("hsts-max-age"), "admin.tls.hsts-max-age");
    if (hsts == null || (m.get("redirect-from") != null && redirect == null)) {
      return null;
    }
    try {
      return new RuntimeConfig.AdminTlsSettings(cert, key, password, schoolCa, redirect, hsts);
    } catch (IllegalArgumentException e) {
      problem(node, e.getMessage());
      return null;
    }
  }

  /**
   * {@code admin.directory-roles: [{directory-group: "CN=Safeguarding,OU=Groups,...", role: dsl}]}:
   * members of each group (nested ones too) sign in with their directory password and get the role.
   */
  private List<org.schoolgate.admin.signin.DirectoryRoles.Mapping> directoryRoles(Node node) {
    List<org.schoolgate.admin.signin.DirectoryRoles.Mapping> out = new ArrayList<>();
    if (node == null || isNull(node)) {
      return out;
    }
    if (!(node instanceof SequenceNode seq)) {
      error(node, "admin.directory-roles", "is not a list (expected: - { directory-group:"
          + " \"CN=Safeguarding,OU=Groups,DC=school,DC=example\", role: dsl })");
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      String field = "admin.directory-roles[" + i + "]";
      Node item = seq.getValue().get(i);
      Map<String, Node> e = mapping(item, field, Set.of("directory-group", "role"));
      String group = e.get("directory-group") == null ? null : scalar(e.get("directory-group"), field + ".directory-group");
      String role = e.get("role") == null ? null : scalar(e.get("role"), field + ".role");
      if (group == null || role == null) {
        error(item, field, "needs directory-group and role (expected: { directory-group: \"CN=Teachers,OU=Groups,"
            + "DC=school,DC=example\", role: teacher })");
        continue;
      }
      org.schoolgate.store.Role r = org.schoolgate.store.Role.parse(role.strip()).orElse(null);
      if (r == null) {
        error(e.get("role"), field + ".role", "'" + role + "' is not a role (expected: teacher, technician, dsl,"
            + " senior-leader, governor or admin)");
        continue;
      }
      try {
        out.add(new org.schoolgate.admin.signin.DirectoryRoles.Mapping(group, r));
      } catch (IllegalArgumentException ex) {
        error(item, field, ex.getMessage());
      }
    }
    return out;
  }

  /** {@code admin.trusted-proxies: [10.0.0.5, 10.0.1.0/28]}: addresses or networks, IP literals only. */
  private List<Subnet> trustedProxies(Node node) {
    List<Subnet> out = new ArrayList<>();
    if (node == null || isNull(node)) {
      return out;
    }
    if (!(node instanceof SequenceNode seq)) {
      error(node, "admin.trusted-proxies", "is not a list (expected: the addresses or networks of reverse proxies"
          + " in front of the admin API, such as [10.0.0.5] or [10.0.1.0/28]; leave it out when there are none)");
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      String field = "admin.trusted-proxies[" + i + "]";
      Node item = seq.getValue().get(i);
      String s = scalar(item, field);
      if (s == null) {
        continue;
      }
      try {
        out.add(Subnet.parse(s));
      } catch (IllegalArgumentException e) {
        error(item, field, e.getMessage() + " (expected: an IP address or network such as 10.0.0.5 or 10.0.1.0/28)");
      }
    }
    return out;
  }

  /**
   * {@code database: {url, user, password-file}}; without it SQLite in {@code schoolgate.db}
   * beside this file. The password is read from {@code password-file} (keep it 0600) or the
   * environment variable {@value #DB_PASSWORD_ENV}; it is never written to the configuration.
   */
  private DatabaseConfig database(Node node) {
    Map<String, Node> m = mapping(node, "database", Set.of("url", "user", "password-file", "node"));
    if (m.get("url") == null) {
      if (!m.isEmpty()) {
        error(node, "database.url", "is required when database is given"
            + " (expected: jdbc:sqlite:/var/lib/schoolgate/schoolgate.db or jdbc:postgresql://host/schoolgate)");
      }
      return DatabaseConfig.sqlite(baseDir);
    }
    String url = scalar(m.get("url"), "database.url");
    if (url == null) {
      return DatabaseConfig.sqlite(baseDir);
    }
    if (url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:sqlite:/") && !url.startsWith("jdbc:sqlite::")) {
      url = "jdbc:sqlite:" + baseDir.resolve(url.substring("jdbc:sqlite:".length())).normalize();
    }
    DatabaseConfig checked;
    try {
      checked = new DatabaseConfig(url, null, null);
    } catch (IllegalArgumentException e) {
      error(m.get("url"), "database.url", e.getMessage());
      checked = DatabaseConfig.sqlite(baseDir);
    }
    String user = m.get("user") == null ? null : scalar(m.get("user"), "database.user");
    String password = System.getenv(DB_PASSWORD_ENV);
    if (m.get("password-file") != null) {
      Path pw = path(m.get("password-file"), "database.password-file");
      if (pw != null) {
        try {
          password = Files.readString(pw, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          error(m.get("password-file"), "database.password-file", "cannot read " + pw + ": " + e.getMessage()
              + " (expected: a file holding the database password, readable by the schoolgate user)");
        }
      }
    }
    String nodeName = m.get("node") == null ? null : scalar(m.get("node"), "database.node");
    if (nodeName == null && checked.isPostgres()) {
      nodeName = hostName();
    }
    try {
      return new DatabaseConfig(checked.jdbcUrl(), user, password, nodeName);
    } catch (IllegalArgumentException e) {
      error(m.get("node"), "database.node", e.getMessage());
      return new DatabaseConfig(checked.jdbcUrl(), user, password);
    }
  }

  /** This machine's host name as a node name (letters, digits, '.', '-', '_'; at most 64), or null. */
  static String hostName() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
    } catch (IOException | RuntimeException e) {
      name = System.getenv("HOSTNAME");
    }
    if (name == null) {
      return null;
    }
    name = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
    name = name.length() > 64 ? name.substring(0, 64) : name;
    return name.isEmpty() ? null : name;
  }

  private RuntimeConfig.DnsSettings dns(Node node) {
    Map<String, Node> m = mapping(node, "dns", Set.of("servers", "static"));
    List<InetSocketAddress> servers = new ArrayList<>();
    Node serversNode = m.get("servers");
    if (serversNode instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        String field = "dns.servers[" + i + "]";
        Node item = seq.getValue().get(i);
        InetSocketAddress a = server(item, field, 53);
        if (a != null) {
          servers.add(a);
        }
      }
    } else if (serversNode != null) {
      error(serversNode, "dns.servers", "is not a list (expected: [IP or IP:PORT, ...] such as [10.0.0.2])");
    }
    Map<String, InetAddress> statics = new LinkedHashMap<>();
    Node staticNode = m.get("static");
    if (staticNode instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        String name = scalar(t.getKeyNode(), "dns.static");
        String field = "dns.static." + name;
        String ip = scalar(t.getValueNode(), field);
        if (name == null || ip == null) {
          continue;
        }
        InetAddress a = ipLiteral(t.getValueNode(), field, ip);
        if (a != null) {
          statics.put(name.toLowerCase(Locale.ROOT), a);
        }
      }
    } else if (staticNode != null) {
      error(staticNode, "dns.static", "is not a mapping (expected: { host.name: IP, ... })");
    }
    return new RuntimeConfig.DnsSettings(servers, statics);
  }

  Map<String, Node> mapping(Node node, String field, Set<String> allowed) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (node == null || isNull(node)) {
      return out;
    }
    if (!(node instanceof MappingNode map)) {
      error(node, field, "is not a mapping (expected: keys " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      return out;
    }
    for (NodeTuple t : map.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
      String dotted = field.isEmpty() ? key : field + "." + key;
      if (key == null || !allowed.contains(key)) {
        error(t.getKeyNode(), dotted == null ? field : dotted, "unknown key (expected one of: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      } else if (out.put(key, t.getValueNode()) != null) {
        error(t.getKeyNode(), dotted, "appears twice (expected: once)");
      }
    }
    return out;
  }

  String scalar(Node node, String field) {
    if (node instanceof ScalarNode s && !isNull(node)) {
      return s.getValue().trim();
    }
    error(node, field, "is not a single value");
    return null;
  }

  Path path(Node node, String field) {
    String s = scalar(node, field);
    if (s == null) {
      return null;
    }
    if (s.isEmpty()) {
      error(node, field, "is empty (expected: a path, relative to " + baseDir + " or absolute)");
      return null;
    }
    return baseDir.resolve(s).normalize();
  }

  Duration duration(Node node, String field) {
    String s = scalar(node, field);
    if (s == null) {
      return null;
    }
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      error(node, field, "'" + s + "' is not a duration (expected: a number and a unit such as 500ms, 10s, 2m, 1h, 14d)");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  InetSocketAddress address(Node node, String field) {
    String s = scalar(node, field);
    if (s == null) {
      return null;
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      error(node, field, "'" + s + "' has no port (expected: " + ADDRESS_EXPECTED + ")");
      return null;
    }
    return withPort(node, field, s.substring(0, colon), parsePort(node, field, s, s.substring(colon + 1)));
  }

  /** {@code IP} (port {@code defaultPort}), {@code IP:PORT} or {@code [IPv6]:PORT}; null (reported) when not. */
  InetSocketAddress server(Node node, String field, int defaultPort) {
    String s = scalar(node, field);
    if (s == null) {
      return null;
    }
    boolean hasPort = s.contains("]:") || (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':'));
    return hasPort ? address(node, field) : withPort(node, field, s, defaultPort);
  }

  private InetSocketAddress withPort(Node node, String field, String host, int port) {
    if (port < 0) {
      return null;
    }
    InetAddress a = ipLiteral(node, field, host);
    return a == null ? null : new InetSocketAddress(a, port);
  }

  private int parsePort(Node node, String field, String whole, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(node, field, "'" + whole + "' has a bad port '" + port + "' (expected: 0-65535, as in " + ADDRESS_EXPECTED + ")");
    return -1;
  }

  InetAddress ipLiteral(Node node, String field, String text) {
    String h = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean literal = IPV4.matcher(h).matches()
        ? java.util.Arrays.stream(h.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255)
        : h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+");
    if (literal) {
      try {
        return InetAddress.getByName(h); // literals are parsed, never resolved
      } catch (UnknownHostException e) {
        // reported below
      }
    }
    error(node, field, "'" + text + "' is not an IP address (expected: an IPv4 or IPv6 address such as 10.0.0.2 or ::1)");
    return null;
  }

  /** A problem whose message already names its field (a config record's own check). */
  void problem(Node node, String message) {
    errors.add(file + ":" + line(node) + ": " + message);
  }

  void error(Node node, String field, String message) {
    errors.add(file + ":" + line(node) + ": " + field + ": " + message);
  }

  static int line(Node node) {
    return node == null ? 1 : node.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
  }
}
