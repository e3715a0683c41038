package org.schoolgate.deploy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * How to run this Schoolgate's commands from a shell: {@code java -jar} with the real path of the
 * jar it was started from (there is no {@code schoolgate} launcher on the PATH). Started from
 * classes instead of the jar (tests, an IDE), it names the jar the build makes.
 */
final class Launcher {
  /** The jar the build makes, relative to the repository, for runs that are not from the jar. */
  static final String BUILT_JAR = "deploy/target/schoolgate.jar";

  private Launcher() {}

  /** {@code java -jar /opt/schoolgate/schoolgate.jar}, for this process. */
  static String command() {
    return command(codeSource());
  }

  /** {@code java -jar <codeSource>} when it is a jar file, else the build's jar. */
  static String command(Path codeSource) {
    if (codeSource != null && Files.isRegularFile(codeSource) && codeSource.toString().endsWith(".jar")) {
      return "java -jar " + quoted(codeSource.toAbsolutePath().normalize().toString());
    }
    return "java -jar " + BUILT_JAR;
  }

  /** A path as one shell word: as it is when plain, else in single quotes. */
  static String quoted(String path) {
    if (path.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return path;
    }
    return "'" + path.replace("'", "'\\''") + "'";
  }

  private static Path codeSource() {
    CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
