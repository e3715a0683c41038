package org.schoolgate.deploy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd unit ({@code deploy/packaging/schoolgate.service}) and its drop-ins, checked
 * by Debian's {@code systemd-analyze} offline (no systemd needs to run): {@code verify} finds no
 * error, {@code security} rates the unit's exposure low, the service runs as a non-root user on a
 * read-only root file system (only the state and log directories writable) with no capability at
 * all, and each drop-in adds exactly the capabilities it names.
 */
class SystemdUnitTest {
  private static final Path PACKAGING = Path.of("packaging");
  private static final Path UNIT = PACKAGING.resolve("schoolgate.service");
  private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for schoolgate\\.service: ([0-9.]+)");

  @TempDir Path root;

  @Test
  void theUnitVerifiesWithoutErrors() throws Exception {
    Path unit = install(null);

    Result r = run("systemd-analyze", "verify", "--man=no", unit.toString());

    assertThat(r.status()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("schoolgate.service:");
  }

  @Test
  void theUnitRunsAsANonRootUserOnAReadOnlyRootWithoutCapabilities() throws Exception {
    String text = Files.readString(UNIT);
    assertThat(lines(text, "User")).containsExactly("schoolgate");
    assertThat(lines(text, "ProtectSystem")).containsExactly("strict");
    assertThat(lines(text, "ReadWritePaths")).containsExactly("/var/lib/schoolgate /var/log/schoolgate");
    assertThat(lines(text, "CapabilityBoundingSet")).containsExactly("");
    assertThat(lines(text, "AmbientCapabilities")).containsExactly("");
    install(null);

    Result r = run("systemd-analyze", "security", "--offline=true", "--no-pager", "--root=" + root,
        "schoolgate.service");

    assertThat(r.status()).as(r.output()).isZero();
    assertThat(r.output()).contains("✓ User=/DynamicUser=", "✓ ProtectSystem=", "✓ NoNewPrivileges=",
        "✓ CapabilityBoundingSet=~CAP_NET_ADMIN", "✓ CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
        "✓ CapabilityBoundingSet=~CAP_SYS_ADMIN", "✓ AmbientCapabilities=");
    assertThat(exposure(r.output())).isLessThanOrEqualTo(2.0);
  }

  @Test
  void theLowPortsDropInGrantsOnlyBindingPortsBelow1024() throws Exception {
    Path unit = install("low-ports.conf.example");
    Result verify = run("systemd-analyze", "verify", "--man=no", unit.toString());
    assertThat(verify.output()).doesNotContain("low-ports.conf:", "schoolgate.service:");

    Result r = run("systemd-analyze", "security", "--offline=true", "--no-pager", "--root=" + root,
        "schoolgate.service");

    assertThat(r.output()).contains("✗ CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)",
        "✓ CapabilityBoundingSet=~CAP_NET_ADMIN", "✓ CapabilityBoundingSet=~CAP_SYS_ADMIN", "✓ User=/DynamicUser=");
    assertThat(exposure(r.output())).isLessThanOrEqualTo(2.0);
  }

  @Test
  void theTransparentDropInAddsNetworkAdministrationAndNothingElse() throws Exception {
    Path unit = install("transparent.conf.example");

    Result r = run("systemd-analyze", "security", "--offline=true", "--no-pager", "--root=" + root,
        "schoolgate.service");

    assertThat(r.output()).contains("✗ CapabilityBoundingSet=~CAP_NET_ADMIN",
        "✗ CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)", "✓ CapabilityBoundingSet=~CAP_SYS_ADMIN",
        "✓ CapabilityBoundingSet=~CAP_SYS_PTRACE", "✓ CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)", "✓ User=/DynamicUser=");
    assertThat(exposure(r.output())).isLessThanOrEqualTo(2.5);
    Result verify = run("systemd-analyze", "verify", "--man=no", unit.toString()); // loads the drop-in beside it
    assertThat(verify.status()).as(verify.output()).isZero();
    assertThat(verify.output()).doesNotContain("transparent.conf:", "schoolgate.service:");
  }

  /** The unit (and a drop-in from the repository, when named) under root/etc/systemd/system. */
  private Path install(String dropIn) throws IOException {
    Path system = Files.createDirectories(root.resolve("etc/systemd/system"));
    Path unit = Files.copy(UNIT, system.resolve("schoolgate.service"));
    if (dropIn != null) {
      Path dir = Files.createDirectories(system.resolve("schoolgate.service.d"));
      Files.copy(PACKAGING.resolve("schoolgate.service.d").resolve(dropIn),
          dir.resolve(dropIn.replace(".example", "")));
    }
    return unit;
  }

  /** The values of {@code key=} lines in {@code unit}. */
  private static List<String> lines(String unit, String key) {
    List<String> out = new ArrayList<>();
    for (String line : unit.split("\n")) {
      if (line.startsWith(key + "=")) {
        out.add(line.substring(key.length() + 1).trim());
      }
    }
    return out;
  }

  private static double exposure(String output) {
    Matcher m = EXPOSURE.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private record Result(int status, String output) {}

  private static Result run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
