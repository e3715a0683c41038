package org.schoolgate.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.identity.directory.LdapSettings;
import org.schoolgate.identity.verify.VerifierSettings;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the proxy sign-in keys of the runtime configuration's {@code identity:} section (directory,
 * Kerberos keytab, cache and lock-out settings) into {@link SignInSettings}, reporting through the loader
 * (file:line: field). The directory's service-account password comes from
 * {@code bind-password-file} or the environment variable {@value #PASSWORD_ENV}; it is never in
 * the configuration and never logged. Absent: null.
 */
final class SignInReader {
  static final String KEY = "identity";
  static final String PASSWORD_ENV = "SCHOOLGATE_LDAP_PASSWORD";
  /** The keys of {@code identity:} this reader owns (the rest are logon sessions', see {@link IdentityReader}). */
  static final Set<String> KEYS = Set.of("directory", "kerberos", "local-accounts", "cache-for", "max-cached-users",
      "lockout-threshold", "lockout-window", "failures-per-client", "failures-per-user", "threads", "queue",
      "circuit-open-for");
  private static final Set<String> DIRECTORY_KEYS = Set.of("urls", "start-tls", "allow-plain", "ca-file", "bind-dn",
      "bind-password-file", "user-base", "user-attribute", "user-filter", "group-base", "membership", "max-nesting",
      "connect-timeout", "response-timeout", "pool-size");
  private static final Set<String> KERBEROS_KEYS = Set.of("keytab", "principal", "krb5-conf");

  private final RuntimeConfigLoader in;

  SignInReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  /**
   * The sign-in settings from {@code identity:}'s entries {@code all} (already checked for unknown
   * keys by {@link IdentityReader}), or null when none of {@link #KEYS} is given.
   */
  SignInSettings read(Node node, Map<String, Node> all) {
    Map<String, Node> m = new java.util.LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (KEYS.contains(k)) {
        m.put(k, v);
      }
    });
    if (m.isEmpty()) {
      return null;
    }
    VerifierSettings d = VerifierSettings.DEFAULTS;
    Duration cacheFor = duration(m, "cache-for", d.cacheFor());
    int maxCached = number(m, "max-cached-users", d.maxCachedUsers());
    int threshold = number(m, "lockout-threshold", d.lockoutThreshold());
    Duration window = duration(m, "lockout-window", d.lockoutWindow());
    int perClient = number(m, "failures-per-client", d.failuresPerClient());
    int perUser = number(m, "failures-per-user", VerifierSettings.defaultFailuresPerUser(threshold));
    int threads = number(m, "threads", d.threads());
    int queue = number(m, "queue", d.queue());
    Duration circuit = duration(m, "circuit-open-for", d.circuitOpenFor());
    VerifierSettings verifier = null;
    if (cacheFor != null && window != null && circuit != null) {
      try {
        verifier = new VerifierSettings(cacheFor, maxCached, threshold, window, perClient, threads, queue, circuit,
            perUser);
      } catch (IllegalArgumentException e) {
        String key = e.getMessage().split(" ", 2)[0];
        in.problem(m.getOrDefault(key, node), KEY + "." + e.getMessage());
      }
    }
    LdapSettings directory = directory(m.get("directory"));
    Map<String, Node> k = in.mapping(m.get("kerberos"), KEY + ".kerberos", KERBEROS_KEYS);
    Path keytab = k.get("keytab") == null ? null : in.path(k.get("keytab"), KEY + ".kerberos.keytab");
    String principal = k.get("principal") == null ? null : in.scalar(k.get("principal"), KEY + ".kerberos.principal");
    Path krb5 = k.get("krb5-conf") == null ? null : in.path(k.get("krb5-conf"), KEY + ".kerberos.krb5-conf");
    boolean local = flag(m, "local-accounts", KEY);
    if (keytab != null && !Files.isReadable(keytab)) {
      in.error(k.get("keytab"), KEY + ".kerberos.keytab", "cannot read " + keytab
          + " (expected: the proxy's keytab, readable by the schoolgate user)");
    }
    if (verifier == null) {
      return null;
    }
    try {
      return new SignInSettings(directory, keytab, principal, krb5, local, verifier);
    } catch (IllegalArgumentException e) {
      in.error(node, KEY, e.getMessage());
      return null;
    }
  }

  private LdapSettings directory(Node node) {
    String f = KEY + ".directory";
    Map<String, Node> m = in.mapping(node, f, DIRECTORY_KEYS);
    if (m.isEmpty()) {
      return null;
    }
    List<URI> urls = new ArrayList<>();
    Node urlsNode = m.get("urls");
    if (urlsNode instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        String u = in.scalar(seq.getValue().get(i), f + ".urls[" + i + "]");
        try {
          if (u != null) {
            urls.add(new URI(u));
          }
        } catch (URISyntaxException e) {
          in.error(seq.getValue().get(i), f + ".urls[" + i + "]", "'" + u + "' is not a URL (expected: ldaps://dc1.school.example)");
        }
      }
    } else {
      in.error(urlsNode == null ? node : urlsNode, f + ".urls", "is required as a list (expected: [ldaps://dc1.school.example])");
    }
    boolean startTls = flag(m, "start-tls", f);
    boolean allowPlain = flag(m, "allow-plain", f);
    Path ca = m.get("ca-file") == null ? null : in.path(m.get("ca-file"), f + ".ca-file");
    String bindDn = required(m, "bind-dn", f, node, "CN=schoolgate,OU=Service Accounts,DC=school,DC=example");
    String userBase = required(m, "user-base", f, node, "OU=People,DC=school,DC=example");
    String userAttribute = m.get("user-attribute") == null ? "sAMAccountName"
        : in.scalar(m.get("user-attribute"), f + ".user-attribute");
    String userFilter = m.get("user-filter") == null ? "(objectClass=person)"
        : in.scalar(m.get("user-filter"), f + ".user-filter");
    String groupBase = m.get("group-base") == null ? null : in.scalar(m.get("group-base"), f + ".group-base");
    LdapSettings.Membership membership = LdapSettings.Membership.MEMBER_OF;
    if (m.get("membership") != null) {
      String text = in.scalar(m.get("membership"), f + ".membership");
      if ("member".equals(text)) {
        membership = LdapSettings.Membership.MEMBER;
      } else if (text != null && !text.equals("member-of")) {
        in.error(m.get("membership"), f + ".membership", "is '" + text + "' (expected: member-of or member)");
      }
    }
    int nesting = number(m, "max-nesting", 10, f);
    Duration connect = m.get("connect-timeout") == null ? Duration.ofSeconds(3)
        : in.duration(m.get("connect-timeout"), f + ".connect-timeout");
    Duration response = m.get("response-timeout") == null ? Duration.ofSeconds(5)
        : in.duration(m.get("response-timeout"), f + ".response-timeout");
    int pool = number(m, "pool-size", 4, f);
    char[] password = password(m, f, node);
    if (bindDn == null || userBase == null || password == null || connect == null || response == null
        || urls.isEmpty()) {
      return null;
    }
    try {
      return new LdapSettings(urls, startTls, allowPlain, ca, bindDn, password, userBase, userAttribute, userFilter,
          groupBase, membership, nesting, connect, response, pool);
    } catch (IllegalArgumentException e) {
      in.error(node, f, e.getMessage());
      return null;
    }
  }

  private char[] password(Map<String, Node> m, String f, Node owner) {
    Node file = m.get("bind-password-file");
    if (file != null) {
      Path p = in.path(file, f + ".bind-password-file");
      if (p == null) {
        return null;
      }
      try {
        String text = Files.readString(p, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          in.error(file, f + ".bind-password-file", p + " is empty (expected: the service account's password)");
          return null;
        }
        return text.toCharArray();
      } catch (IOException e) {
        in.error(file, f + ".bind-password-file", "cannot read " + p + ": " + e.getMessage()
            + " (expected: a file holding the service account's password, readable by the schoolgate user)");
        return null;
      }
    }
    String env = System.getenv(PASSWORD_ENV);
    if (env == null || env.isBlank()) {
      in.error(owner, f + ".bind-password-file", "is required (expected: a file holding the service account's"
          + " password, or the environment variable " + PASSWORD_ENV + ")");
      return null;
    }
    return env.toCharArray();
  }

  private String required(Map<String, Node> m, String key, String f, Node owner, String example) {
    if (m.get(key) == null) {
      in.error(owner, f + "." + key, "is required (expected: e.g. " + example + ")");
      return null;
    }
    return in.scalar(m.get(key), f + "." + key);
  }

  private boolean flag(Map<String, Node> m, String key, String f) {
    if (m.get(key) == null) {
      return false;
    }
    String s = in.scalar(m.get(key), f + "." + key);
    if (!"true".equals(s) && !"false".equals(s)) {
      in.error(m.get(key), f + "." + key, "is '" + s + "' (expected: true or false)");
      return false;
    }
    return "true".equals(s);
  }

  private Duration duration(Map<String, Node> m, String key, Duration fallback) {
    return m.get(key) == null ? fallback : in.duration(m.get(key), KEY + "." + key);
  }

  private int number(Map<String, Node> m, String key, int fallback) {
    return number(m, key, fallback, KEY);
  }

  private int number(Map<String, Node> m, String key, int fallback, String f) {
    if (m.get(key) == null) {
      return fallback;
    }
    String s = in.scalar(m.get(key), f + "." + key);
    try {
      return s == null ? fallback : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      in.error(m.get(key), f + "." + key, "'" + s + "' is not a whole number");
      return fallback;
    }
  }
}
