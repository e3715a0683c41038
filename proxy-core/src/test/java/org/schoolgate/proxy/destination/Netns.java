package org.schoolgate.proxy.destination;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux network namespaces joined to this host by veth pairs, for tests that need clients and
 * servers on other addresses than the proxy host's. Needs root and iproute2 (CI runs as root):
 * without them {@link #requireRootAndIp} fails the test with a message saying so. Every name
 * starts with the creating branch's name ({@code fdst} unless given) and a random suffix; {@link #close} removes whatever was created, also
 * after a failure half-way.
 */
final class Netns implements AutoCloseable {
  private final String prefix;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> links = new ArrayList<>();

  Netns() {
    this("fdst");
  }

  /** Names start with {@code branch} (at most 6 characters: a veth name has at most 15). */
  Netns(String branch) {
    if (branch.length() > 6) {
      throw new IllegalArgumentException("netns prefix '" + branch + "' (expected: at most 6"
          + " characters, as interface names have at most 15)");
    }
    this.prefix = branch + Long.toHexString(System.nanoTime() & 0xffffL);
  }

  /** Fails with a clear message unless this process is root and {@code ip} runs. */
  static void requireRootAndIp() throws Exception {
    Result id = run(List.of("id", "-u"));
    if (!id.out().strip().equals("0")) {
      throw new AssertionError("this test creates Linux network namespaces and must run as root"
          + " (CI does); id -u says " + id.out().strip());
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
        && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
      throw new AssertionError("this test needs iproute2's 'ip' (apt-get install iproute2)");
    }
    Result version = run(List.of("ip", "-V"));
    if (version.code() != 0) {
      throw new AssertionError("'ip -V' failed: " + version);
    }
  }

  /**
   * Creates namespace {@code <prefix><name>} joined to this host by a veth pair: the host end gets
   * {@code hostCidr}, the namespace end each of {@code nsCidrs}; both ends and the namespace's
   * loopback come up. Returns the namespace's name.
   */
  String namespace(String name, String hostCidr, String... nsCidrs) throws Exception {
    String ns = prefix + name;
    String hostEnd = ns + "h";
    String nsEnd = ns + "n";
    must(List.of("ip", "netns", "add", ns));
    namespaces.add(ns);
    must(List.of("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd));
    links.add(hostEnd);
    must(List.of("ip", "link", "set", nsEnd, "netns", ns));
    must(List.of("ip", "addr", "add", hostCidr, "dev", hostEnd));
    must(List.of("ip", "link", "set", hostEnd, "up"));
    for (String cidr : nsCidrs) {
      must(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", cidr, "dev", nsEnd));
    }
    must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", nsEnd, "up"));
    must(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
    return ns;
  }

  /** Runs {@code command} inside namespace {@code ns}. */
  static Result exec(String ns, List<String> command) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    return run(full);
  }

  /** Starts {@code command} inside {@code ns} and leaves it running. */
  static Process start(String ns, List<String> command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(command);
    return new ProcessBuilder(full).redirectErrorStream(true).start();
  }

  record Result(int code, String out) {}

  static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static void must(List<String> command) throws Exception {
    Result r = run(command);
    if (r.code() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (" + r.code() + "): " + r.out());
    }
  }

  @Override
  public void close() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String link : links) {
      Result r = run(List.of("ip", "link", "del", link));
      if (r.code() != 0 && !r.out().contains("Cannot find device")) {
        problems.add("ip link del " + link + ": " + r.out().strip());
      }
    }
    for (String ns : namespaces) {
      Result r = run(List.of("ip", "netns", "del", ns));
      if (r.code() != 0) {
        problems.add("ip netns del " + ns + ": " + r.out().strip());
      }
    }
    links.clear();
    namespaces.clear();
    if (!problems.isEmpty()) {
      throw new AssertionError("could not clean up: " + problems);
    }
  }
}
