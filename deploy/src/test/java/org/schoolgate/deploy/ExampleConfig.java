package org.schoolgate.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code deploy/schoolgate.example.yaml} as shipped, and with exactly the edits its comments ask
 * for: turning on a commented-out section (removing one {@code "# "} from each of its lines), using
 * PostgreSQL instead of SQLite, and pointing its paths somewhere else.
 */
final class ExampleConfig {
  private final String text;

  private ExampleConfig(String text) {
    this.text = text;
  }

  /** The file as shipped (the tests run in deploy/, where it lives). */
  static ExampleConfig shipped() throws IOException {
    return new ExampleConfig(Files.readString(Path.of("schoolgate.example.yaml")));
  }

  String text() {
    return text;
  }

  /**
   * The commented-out block that starts with the line {@code # KEY}, up to the next blank line or
   * line that is not a comment, turned on; fails if there is no such block.
   */
  ExampleConfig uncomment(String key) {
    List<String> out = new ArrayList<>();
    boolean found = false;
    boolean inBlock = false;
    for (String line : text.split("\n", -1)) {
      String stripped = line.stripLeading();
      if (!inBlock && stripped.equals("# " + key)) {
        inBlock = true;
        found = true;
      } else if (inBlock && (stripped.isEmpty() || !stripped.startsWith("#"))) {
        inBlock = false;
      }
      if (inBlock) {
        int hash = line.indexOf("# ");
        out.add(line.substring(0, hash) + line.substring(hash + 2));
      } else {
        out.add(line);
      }
    }
    if (!found) {
      throw new AssertionError("no commented-out block '# " + key + "' in the example");
    }
    return new ExampleConfig(String.join("\n", out));
  }

  /** The database section's PostgreSQL lines in place of the SQLite url, with this password file. */
  ExampleConfig withPostgres(Path passwordFile) {
    String sqlite = "  url: jdbc:sqlite:/var/lib/schoolgate/schoolgate.db\n";
    require(sqlite);
    return new ExampleConfig(text.replace(sqlite, "")).uncomment("url: jdbc:postgresql://db.school.example/schoolgate")
        .replace("/etc/schoolgate/db.password", passwordFile.toString());
  }

  /** {@code from} replaced by {@code to} everywhere; fails if the example has no {@code from}. */
  ExampleConfig replace(String from, String to) {
    require(from);
    return new ExampleConfig(text.replace(from, to));
  }

  /** The policy, the access log and the SQLite file (unless PostgreSQL is on) pointed into {@code root} (etc/, log/, lib/). */
  ExampleConfig pointedInto(Path root) {
    ExampleConfig moved = replace("policy: /etc/schoolgate/policy.yaml", "policy: " + root.resolve("etc/policy.yaml"))
        .replace("dir: /var/log/schoolgate", "dir: " + root.resolve("log"));
    String sqlite = "jdbc:sqlite:/var/lib/schoolgate/schoolgate.db";
    return moved.text.contains("  url: " + sqlite) ? moved.replace(sqlite, "jdbc:sqlite:" + root.resolve("lib/schoolgate.db"))
        : moved;
  }

  Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, text);
  }

  private void require(String part) {
    if (!text.contains(part)) {
      throw new AssertionError("the example has no '" + part.strip() + "'");
    }
  }
}
