package org.schoolgate.policy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started inside a network namespace (a process's sockets live in its own namespace, so a
 * server "on another host" of a {@link Netns} test runs as its own JVM there), on this test's
 * class path. Its output lines (stdout and stderr) are kept and handed to waiters as they come.
 * The child prints {@code ready} once it serves and stops when its standard input closes
 * ({@link #stop}), so it can flush what it writes.
 *
 * <pre>{@code
 * NetnsJvm origin = NetnsJvm.start(ns, OriginMain.class, "203.0.113.10");
 * origin.await("udp 4433 hello");
 * NetnsJvm.stop(origin);
 * }</pre>
 */
public final class NetnsJvm {
  /** The child's process. */
  public final Process process;
  /** Every line the child printed so far. */
  public final List<String> lines = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();

  private NetnsJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          fresh.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "netns-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} in its own small JVM inside namespace {@code ns}; returns once it printed
   * {@code ready} (at most 60 s), else kills it and fails with its output.
   */
  public static NetnsJvm start(String ns, Class<?> main, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-Xmx96m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    NetnsJvm child = new NetnsJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    try {
      child.await("ready");
    } catch (AssertionError e) {
      child.process.destroyForcibly();
      throw e;
    }
    return child;
  }

  /** Waits (at most 60 s: a generous ceiling on a shared machine) for the line {@code line}. */
  public void await(String line) throws InterruptedException {
    if (lines.contains(line)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      String next = fresh.poll(left, TimeUnit.NANOSECONDS);
      if (line.equals(next) || lines.contains(line)) {
        return;
      }
    }
    throw new AssertionError("no line '" + line + "' within 60 s; the output was:\n" + output());
  }

  /** Everything the child printed so far. */
  public String output() {
    return String.join("\n", lines);
  }

  /** Closes the child's input (it stops) and waits for it; kills it after 30 s. Null: nothing. */
  public static void stop(NetnsJvm child) throws InterruptedException {
    if (child == null) {
      return;
    }
    Process p = child.process;
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
