package org.schoolgate.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code schoolgate.jar} run as its own process, as a school runs it: started with
 * arguments, ready once the banner has said which ports it bound (port 0: no free-port race), its
 * output kept for assertions and failure messages.
 */
final class JarProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern PROXY_LINE = Pattern.compile("^\\s+proxy\\s+\\S+:(\\d+)");
  private static final Pattern ADMIN_LINE = Pattern.compile("^\\s+admin API\\s+http://\\S+:(\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  private JarProcess(Process process) {
    this.process = process;
  }

  /** The jar the failsafe run built ({@code schoolgate.jar} system property, else target/). */
  static Path jar() {
    return Path.of(System.getProperty("schoolgate.jar", "target/schoolgate.jar"));
  }

  /** {@code java -jar schoolgate.jar ARGS} to the end; its exit code and output. */
  static Finished runToEnd(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("schoolgate " + String.join(" ", args) + " did not finish; output:\n" + out);
    }
    return new Finished(p.exitValue(), out);
  }

  /** Starts {@code java -jar schoolgate.jar ARGS} and waits until its banner is out. */
  static JarProcess start(String... args) throws IOException {
    JarProcess jar = new JarProcess(new ProcessBuilder(command(args)).redirectErrorStream(true).start());
    Thread reader = new Thread(jar::readOutput, "schoolgate-output");
    reader.setDaemon(true);
    reader.start();
    try {
      jar.ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      jar.close();
      throw new AssertionError("schoolgate did not print '" + Banner.READY + "' within " + START_TIMEOUT
          + "; its output:\n" + String.join("\n", jar.output), e);
    }
    return jar;
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  int proxyPort() {
    return bannerPort(PROXY_LINE);
  }

  int adminPort() {
    return bannerPort(ADMIN_LINE);
  }

  List<String> output() {
    return output;
  }

  Process process() {
    return process;
  }

  private int bannerPort(Pattern line) {
    return output.stream().map(line::matcher).filter(Matcher::find)
        .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
        .orElseThrow(() -> new AssertionError("no line matching " + line + " in:\n" + String.join("\n", output)));
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.add(line);
        if (output.stream().anyMatch(l -> l.startsWith(Banner.READY))
            && output.stream().anyMatch(l -> PROXY_LINE.matcher(l).find())
            && output.stream().anyMatch(l -> ADMIN_LINE.matcher(l).find())) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IOException("schoolgate exited before it was ready"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A finished run. */
  record Finished(int exitCode, String output) {}
}
