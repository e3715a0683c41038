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
import org.schoolgate.admin.oidc.OidcSettings;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code oidc:} section (sign-in with the school's OpenID Connect provider on the device
 * sign-in page and the console) into {@link OidcSettings}, reporting through the loader
 * (file:line: field). The client secret comes from {@code client-secret-file}, never from the
 * configuration itself. Absent: null (no OIDC sign-in). See docs/oidc.md.
 *
 * <pre>
 * oidc:
 *   issuer: https://login.microsoftonline.com/TENANT-ID/v2.0
 *   client-id: 00000000-0000-0000-0000-000000000000
 *   client-secret-file: /etc/schoolgate/oidc-client-secret
 *   allowed-domains: [school.example.org]
 *   user-claim: preferred_username      # or email, upn
 *   groups: claim                       # claim | directory | none
 *   groups-claim: groups
 *   scopes: [openid, profile, email]
 *   console-second-factor: required     # or provider
 *   redirect-uri: https://filter.school.example.org/oidc/callback   # default: admin.public-url + /oidc/callback
 *   timeout: 5s
 *   cache-for: 1h
 * </pre>
 */
final class OidcReader {
  static final String KEY = "oidc";
  private static final Set<String> KEYS = Set.of("issuer", "client-id", "client-secret-file", "scopes", "user-claim",
      "groups", "groups-claim", "allowed-domains", "console-second-factor", "redirect-uri", "timeout", "cache-for");

  private final RuntimeConfigLoader in;

  OidcReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  /** The settings, or null when the section is absent or wrong (wrong: reported). */
  OidcSettings read(Node node, URI adminPublicUrl) {
    Map<String, Node> m = in.mapping(node, KEY, KEYS);
    if (m.isEmpty()) {
      return null;
    }
    URI issuer = uri(m, "issuer", node, "https://login.microsoftonline.com/<tenant-id>/v2.0");
    String clientId = required(m, "client-id", node, "the application (client) id the provider gave Schoolgate");
    String secret = secret(m, node);
    List<String> scopes = list(m.get("scopes"), KEY + ".scopes");
    String userClaim = m.get("user-claim") == null ? null : in.scalar(m.get("user-claim"), KEY + ".user-claim");
    OidcSettings.GroupSource groups = choice(m.get("groups"), KEY + ".groups", OidcSettings.GroupSource.class);
    String groupsClaim = m.get("groups-claim") == null ? null : in.scalar(m.get("groups-claim"), KEY + ".groups-claim");
    List<String> domains = list(m.get("allowed-domains"), KEY + ".allowed-domains");
    OidcSettings.SecondFactor second = choice(m.get("console-second-factor"), KEY + ".console-second-factor",
        OidcSettings.SecondFactor.class);
    URI redirect = m.get("redirect-uri") == null ? null : uri(m, "redirect-uri", node,
        "https://filter.school.example" + OidcSettings.CALLBACK_PATH);
    if (redirect == null && m.get("redirect-uri") == null && adminPublicUrl != null) {
      String base = adminPublicUrl.toString();
      redirect = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
          + OidcSettings.CALLBACK_PATH);
    }
    Duration timeout = m.get("timeout") == null ? null : in.duration(m.get("timeout"), KEY + ".timeout");
    Duration cacheFor = m.get("cache-for") == null ? null : in.duration(m.get("cache-for"), KEY + ".cache-for");
    if (issuer == null || clientId == null || secret == null || (m.get("timeout") != null && timeout == null)
        || (m.get("cache-for") != null && cacheFor == null) || (m.get("redirect-uri") != null && redirect == null)) {
      return null;
    }
    try {
      return new OidcSettings(issuer, clientId, secret, scopes, userClaim, groups, groupsClaim, domains, second,
          redirect, timeout, cacheFor);
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().split("[ :]", 2)[0];
      Node at = m.get(field.startsWith(KEY + ".") ? field.substring(KEY.length() + 1) : "");
      in.problem(at == null ? node : at, e.getMessage());
      return null;
    }
  }

  private String secret(Map<String, Node> m, Node owner) {
    Node file = m.get("client-secret-file");
    if (file == null) {
      in.error(owner, KEY + ".client-secret-file", "is required (expected: a file holding the client secret the"
          + " provider gave Schoolgate, readable only by the schoolgate user)");
      return null;
    }
    Path p = in.path(file, KEY + ".client-secret-file");
    if (p == null) {
      return null;
    }
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        in.error(file, KEY + ".client-secret-file", p + " is empty (expected: the client secret)");
        return null;
      }
      return text;
    } catch (IOException e) {
      in.error(file, KEY + ".client-secret-file", "cannot read " + p + ": " + e.getMessage()
          + " (expected: a file holding the client secret, readable by the schoolgate user)");
      return null;
    }
  }

  private URI uri(Map<String, Node> m, String key, Node owner, String example) {
    String s = required(m, key, owner, "e.g. " + example);
    if (s == null) {
      return null;
    }
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      in.error(m.get(key), KEY + "." + key, "'" + s + "' is not a URL: " + e.getReason() + " (expected: e.g. "
          + example + ")");
      return null;
    }
  }

  private String required(Map<String, Node> m, String key, Node owner, String expected) {
    if (m.get(key) == null) {
      in.error(owner, KEY + "." + key, "is required (expected: " + expected + ")");
      return null;
    }
    return in.scalar(m.get(key), KEY + "." + key);
  }

  private List<String> list(Node node, String field) {
    if (node == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (!(node instanceof SequenceNode seq)) {
      in.error(node, field, "is not a list (expected: e.g. [a, b])");
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      String s = in.scalar(seq.getValue().get(i), field + "[" + i + "]");
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private <E extends Enum<E>> E choice(Node node, String field, Class<E> type) {
    if (node == null) {
      return null;
    }
    String s = in.scalar(node, field);
    for (E e : type.getEnumConstants()) {
      if (OidcSettings.name(e).equals(s)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(OidcSettings.name(e));
    }
    in.error(node, field, "is '" + s + "' (expected: " + String.join(" or ", names) + ")");
    return null;
  }
}
