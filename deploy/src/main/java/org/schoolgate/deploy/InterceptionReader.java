package org.schoolgate.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code interception:} section of the runtime configuration (the school's CA) into
 * {@link CaSettings}, reporting through the loader (file:line: field). Absent: no CA.
 */
final class InterceptionReader {
  static final String KEY = "interception";
  private final RuntimeConfigLoader in;

  InterceptionReader(RuntimeConfigLoader in) {
    this.in = in;
  }

  CaSettings read(Node node) {
    Map<String, Node> m = in.mapping(node, KEY, Set.of("ca-certificate", "ca-key", "ca-pkcs12", "ca-password-file",
        "leaf-validity", "leaf-cache", "extra-trusted-cas"));
    if (m.isEmpty()) {
      return null;
    }
    Path cert = m.get("ca-certificate") == null ? null : in.path(m.get("ca-certificate"), KEY + ".ca-certificate");
    Path key = m.get("ca-key") == null ? null : in.path(m.get("ca-key"), KEY + ".ca-key");
    Path pkcs12 = m.get("ca-pkcs12") == null ? null : in.path(m.get("ca-pkcs12"), KEY + ".ca-pkcs12");
    Path password = m.get("ca-password-file") == null ? null
        : in.path(m.get("ca-password-file"), KEY + ".ca-password-file");
    Duration validity = m.get("leaf-validity") == null ? CaSettings.DEFAULT_LEAF_VALIDITY
        : in.duration(m.get("leaf-validity"), KEY + ".leaf-validity");
    int cache = CaSettings.DEFAULT_LEAF_CACHE;
    if (m.get("leaf-cache") != null) {
      String s = in.scalar(m.get("leaf-cache"), KEY + ".leaf-cache");
      try {
        cache = s == null ? cache : Integer.parseInt(s);
      } catch (NumberFormatException e) {
        in.error(m.get("leaf-cache"), KEY + ".leaf-cache", "'" + s + "' is not a number (expected: e.g. 10000)");
      }
    }
    List<Path> extra = new ArrayList<>();
    Node extraNode = m.get("extra-trusted-cas");
    if (extraNode instanceof SequenceNode seq) {
      for (int i = 0; i < seq.getValue().size(); i++) {
        Path p = in.path(seq.getValue().get(i), KEY + ".extra-trusted-cas[" + i + "]");
        if (p != null) {
          extra.add(p);
        }
      }
    } else if (extraNode != null && !RuntimeConfigLoader.isNull(extraNode)) {
      in.error(extraNode, KEY + ".extra-trusted-cas", "is not a list (expected: [PEM file, ...])");
    }
    if (validity == null) {
      return null;
    }
    try {
      return new CaSettings(cert, key, pkcs12, password, validity, cache, extra);
    } catch (IllegalArgumentException e) {
      in.problem(node, e.getMessage());
      return null;
    }
  }
}
