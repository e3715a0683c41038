package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.schoolgate.admin.identity.SessionSettings;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.identity.radius.RadiusClient;
import org.schoolgate.identity.radius.RadiusSettings;
import org.schoolgate.policy.model.Subnet;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code identity:} (user names, logon sessions) and {@code radius:} (accounting listener,
 * NASes and their secret files) into {@link IdentitySettings}, reporting through the loader
 * (file:line: field). A secret file must hold one line and be readable by its owner only.
 */
final class IdentityReader {
  static final String IDENTITY = "identity";
  static final String RADIUS = "radius";
  private final RuntimeConfigLoader in;

  IdentityReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  IdentitySettings read(Node identityNode, Node radiusNode) {
    Set<String> keys = new java.util.HashSet<>(Set.of("strip-realms", "lower-case", "sessions", "sync-every"));
    keys.addAll(SignInReader.KEYS);
    Map<String, Node> m = in.mapping(identityNode, IDENTITY, keys);
    SignInSettings signIn = new SignInReader(in).read(identityNode, m);
    UserNameRule names = userNames(m);
    SessionSettings sessions = sessions(m.get("sessions"), names);
    Duration sync = m.get("sync-every") == null ? IdentitySettings.DEFAULT_SYNC
        : in.duration(m.get("sync-every"), IDENTITY + ".sync-every");
    RadiusSettings radius = radius(radiusNode, names);
    if (sessions == null || sync == null) {
      return null;
    }
    try {
      return new IdentitySettings(sessions, radius, sync, signIn);
    } catch (IllegalArgumentException e) {
      in.problem(m.get("sync-every"), e.getMessage());
      return null;
    }
  }

  private UserNameRule userNames(Map<String, Node> m) {
    List<String> realms = texts(m.get("strip-realms"), IDENTITY + ".strip-realms",
        "[realms and NetBIOS domains to strip, such as SCHOOL, school.example]");
    boolean lower = true;
    if (m.get("lower-case") != null) {
      String s = in.scalar(m.get("lower-case"), IDENTITY + ".lower-case");
      if ("false".equals(s)) {
        lower = false;
      } else if (!"true".equals(s)) {
        in.error(m.get("lower-case"), IDENTITY + ".lower-case", "'" + s + "' (expected: true or false)");
      }
    }
    try {
      return new UserNameRule(new LinkedHashSet<>(realms), lower);
    } catch (IllegalArgumentException e) {
      in.error(m.get("strip-realms"), IDENTITY + ".strip-realms", e.getMessage());
      return UserNameRule.DEFAULT;
    }
  }

  private SessionSettings sessions(Node node, UserNameRule names) {
    String f = IDENTITY + ".sessions";
    Map<String, Node> m = in.mapping(node, f, Set.of("default-length", "max-length", "reporters", "audit-every"));
    Duration length = m.get("default-length") == null ? SessionSettings.DEFAULT_LENGTH
        : in.duration(m.get("default-length"), f + ".default-length");
    Duration max = m.get("max-length") == null ? SessionSettings.DEFAULT_MAX_LENGTH
        : in.duration(m.get("max-length"), f + ".max-length");
    Duration audit = m.get("audit-every") == null ? SessionSettings.DEFAULT_AUDIT_WINDOW
        : in.duration(m.get("audit-every"), f + ".audit-every");
    List<Subnet> reporters = new ArrayList<>();
    List<String> texts = texts(m.get("reporters"), f + ".reporters", "[networks such as 10.0.0.10/32]");
    for (int i = 0; i < texts.size(); i++) {
      Subnet s = subnet(((SequenceNode) m.get("reporters")).getValue().get(i), f + ".reporters[" + i + "]", texts.get(i));
      if (s != null) {
        reporters.add(s);
      }
    }
    if (length == null || max == null || audit == null) {
      return null;
    }
    try {
      return new SessionSettings(names, length, max, reporters, audit);
    } catch (IllegalArgumentException e) {
      in.problem(node, e.getMessage());
      return null;
    }
  }

  private RadiusSettings radius(Node node, UserNameRule names) {
    Map<String, Node> m = in.mapping(node, RADIUS, Set.of("listen", "clients", "binding-time", "replay-window"));
    if (m.isEmpty()) {
      return null;
    }
    java.net.InetSocketAddress listen = m.get("listen") == null
        ? new java.net.InetSocketAddress("0.0.0.0", RadiusSettings.DEFAULT_PORT)
        : in.address(m.get("listen"), RADIUS + ".listen");
    Duration binding = m.get("binding-time") == null ? RadiusSettings.DEFAULT_BINDING_TIME
        : in.duration(m.get("binding-time"), RADIUS + ".binding-time");
    Duration replay = m.get("replay-window") == null ? RadiusSettings.DEFAULT_REPLAY_WINDOW
        : in.duration(m.get("replay-window"), RADIUS + ".replay-window");
    List<RadiusClient> clients = new ArrayList<>();
    Node clientsNode = m.get("clients");
    if (clientsNode instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        RadiusClient c = client(seq.getValue().get(i), RADIUS + ".clients[" + i + "]");
        if (c != null) {
          clients.add(c);
        }
      }
    } else {
      in.error(clientsNode == null ? node : clientsNode, RADIUS + ".clients", "is required and must be a list"
          + " (expected: [{ name: wlc, network: 10.0.0.10/32, secret-file: /etc/schoolgate/radius-wlc.secret }])");
      return null;
    }
    if (listen == null || binding == null || replay == null || clients.size() != seq(clientsNode)) {
      return null;
    }
    try {
      return new RadiusSettings(listen, clients, names, binding, replay);
    } catch (IllegalArgumentException e) {
      in.problem(node, e.getMessage());
      return null;
    }
  }

  private RadiusClient client(Node node, String f) {
    Map<String, Node> m = in.mapping(node, f, Set.of("name", "network", "secret-file"));
    for (String key : List.of("name", "network", "secret-file")) {
      if (m.get(key) == null) {
        in.error(node, f + "." + key, "is required (expected: { name: wlc, network: 10.0.0.10/32,"
            + " secret-file: /etc/schoolgate/radius-wlc.secret })");
        return null;
      }
    }
    String name = in.scalar(m.get("name"), f + ".name");
    String network = in.scalar(m.get("network"), f + ".network");
    Subnet subnet = network == null ? null : subnet(m.get("network"), f + ".network", network);
    if (subnet == null) {
      return null;
    }
    Path secretFile = in.path(m.get("secret-file"), f + ".secret-file");
    String secret = secretFile == null ? null : secret(m.get("secret-file"), f + ".secret-file", secretFile);
    if (name == null || subnet == null || secret == null) {
      return null;
    }
    try {
      return new RadiusClient(name, subnet, secret);
    } catch (IllegalArgumentException e) {
      in.problem(node, f + ": " + e.getMessage());
      return null;
    }
  }

  private String secret(Node node, String f, Path file) {
    if (!Files.isRegularFile(file)) {
      in.error(node, f, "there is no file " + file + " (expected: a file holding the NAS's shared secret on one"
          + " line, chmod 600)");
      return null;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        in.error(node, f, file + " can be read by others (expected: chmod 600, owned by the schoolgate user)");
        return null;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty() || text.indexOf('\n') >= 0) {
        in.error(node, f, file + " must hold the shared secret on one line (expected: the secret the NAS is"
            + " configured with, nothing else)");
        return null;
      }
      return text;
    } catch (IOException | UnsupportedOperationException e) {
      in.error(node, f, "cannot read " + file + ": " + e.getMessage() + " (expected: a file holding the NAS's"
          + " shared secret, readable by the schoolgate user only)");
      return null;
    }
  }

  private Subnet subnet(Node node, String f, String text) {
    try {
      return Subnet.parse(text);
    } catch (IllegalArgumentException e) {
      in.error(node, f, e.getMessage());
      return null;
    }
  }

  private List<String> texts(Node node, String f, String expected) {
    List<String> out = new ArrayList<>();
    if (node == null || RuntimeConfigLoader.isNull(node)) {
      return out;
    }
    if (!(node instanceof SequenceNode seq)) {
      in.error(node, f, "is not a list (expected: " + expected + ")");
      return out;
    }
    for (int i = 0; i < seq.getValue().size(); i++) {
      String s = in.scalar(seq.getValue().get(i), f + "[" + i + "]");
      out.add(s == null ? "" : s);
    }
    return out;
  }

  private static int seq(Node node) {
    return node instanceof SequenceNode s ? s.getValue().size() : 0;
  }
}
