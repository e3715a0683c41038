package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy.transport} where the native transports cannot load or cannot work, for real:
 * Schoolgate's own {@link Main} in a child JVM (this test's class path) started with {@code
 * -Dio.netty.transport.noNative=true} (Netty 4.2's {@code IoUring} and {@code Epoll} read it in
 * their static initialisers and report unavailable with that cause), or under a seccomp filter
 * ({@link SeccompMain}) refusing {@code io_uring_setup} as Docker's default profile does, or only
 * {@code io_uring_enter} (io_uring then loads, and only the start-up probe finds it unusable). A
 * school that asked for {@code io_uring} gets no proxy: exit status 1 and a line on stderr naming
 * the cause and the fix; {@code auto} falls back, says so in the log, and serves.
 */
class TransportStartTest {
  private static final String NO_NATIVE = "-Dio.netty.transport.noNative=true";

  @TempDir Path dir;

  @BeforeEach
  void policy() throws Exception {
    try (InputStream in = TransportStartTest.class.getResourceAsStream("policy.yaml")) {
      Files.copy(in, dir.resolve("policy.yaml"));
    }
  }

  private Path config(String transport) throws Exception {
    return Files.writeString(dir.resolve("schoolgate.yaml"), """
        policy: policy.yaml
        proxy:
          listen: 127.0.0.1:0
          transport: %s
        admin: { listen: '127.0.0.1:0' }
        access-log: { dir: logs }
        """.formatted(transport));
  }

  /** {@code java -cp <ours> Main run --config <config>}, with {@code -Dio.netty.transport.noNative}. */
  private static ProcessBuilder schoolgate(Path config) {
    return java(List.of(NO_NATIVE), Main.class.getName(), "run", "--config", config.toString());
  }

  /** {@code Main run --config <config>} with the system calls {@code refused} failing EPERM. */
  private static ProcessBuilder seccomp(String refused, Path config) {
    return java(List.of(), SeccompMain.class.getName(), refused, "run", "--config",
        config.toString());
  }

  private static ProcessBuilder java(List<String> options, String main, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Runs a start that must fail; its stderr. */
  private static String failedStart(ProcessBuilder schoolgate) throws Exception {
    Process p = schoolgate.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    String err = read(p.getErrorStream());
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("schoolgate ended; stderr:\n" + err).isTrue();
    assertThat(p.exitValue()).as("stdout:\n" + out.get() + "\nstderr:\n" + err).isEqualTo(1);
    assertThat(out.get()).doesNotContain(Banner.READY);
    return err;
  }

  @Test
  void ioUringRefusedBySeccompAsInDockerStopsTheStart() throws Exception {
    String err = failedStart(seccomp("425", config("io_uring")));

    assertThat(err).contains("schoolgate: cannot start: proxy.transport: io_uring is not available"
        + " here (java.lang.RuntimeException: failed to create io_uring ring fd: Operation not"
        + " permitted) (expected: Linux 5.14 or later on x86-64 with io_uring allowed");
  }

  @Test
  void ioUringThatLoadsButCannotEnterItsRingStopsTheStartAfterTheProbe() throws Exception {
    String err = failedStart(seccomp("426", config("io_uring")));

    assertThat(err).contains("schoolgate: cannot start: proxy.transport: io_uring loads here but"
        + " does not work: ").contains("(expected: a seccomp profile that allows io_uring_setup,"
        + " io_uring_enter and io_uring_register together; or transport: epoll)");
  }

  @Test
  void ioUringThatCannotLoadStopsTheStartNamingTheCauseAndTheFix() throws Exception {
    String err = failedStart(schoolgate(config("io_uring")));

    assertThat(err).contains("schoolgate: cannot start: proxy.transport: io_uring is not available"
            + " here (java.lang.UnsupportedOperationException: Native transport was explicit"
            + " disabled with -Dio.netty.transport.noNative=true)")
        .contains("(expected: Linux 5.14 or later on x86-64 with io_uring allowed (sysctl"
            + " kernel.io_uring_disabled = 0");
  }

  @Test
  void autoFallsBackToNioWithALogLineAndServes() throws Exception {
    List<String> lines = servingStart(schoolgate(config("auto")));

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy.transport: auto: Java NIO"
        + " (io_uring cannot load here (java.lang.UnsupportedOperationException: Native transport"
        + " was explicit disabled with -Dio.netty.transport.noNative=true); epoll cannot load here"
        + " (java.lang.UnsupportedOperationException: Native transport was explicit disabled with"
        + " -Dio.netty.transport.noNative=true))"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy listening on")
        .contains("(nio transport"));
  }

  @Test
  void autoIsIoUringWhereItWorks() throws Exception {
    List<String> lines = servingStart(java(List.of(), Main.class.getName(), "run", "--config",
        config("auto").toString()));

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy.transport: auto: io_uring"
        + " (it loads, and a loopback connection over it worked)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy listening on")
        .contains("(io_uring transport"));
  }

  @Test
  void autoIsEpollWhereSeccompRefusesIoUringAsInDocker() throws Exception {
    List<String> lines = servingStart(seccomp("425", config("auto")));

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy.transport: auto: epoll"
        + " (io_uring cannot load here (java.lang.RuntimeException: failed to create io_uring"
        + " ring fd: Operation not permitted))"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy listening on")
        .contains("(epoll transport"));
  }

  @Test
  void autoIsEpollWhereIoUringLoadsButFailsTheProbe() throws Exception {
    List<String> lines = servingStart(seccomp("426", config("auto")));

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy.transport: auto: epoll"
        + " (io_uring loads but does not work: "));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("proxy listening on")
        .contains("(epoll transport"));
  }

  /** Runs a start that must serve, until its banner; its output (stdout and stderr). */
  private static List<String> servingStart(ProcessBuilder schoolgate) throws Exception {
    Process p = schoolgate.redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          if (line.startsWith(Banner.READY)) {
            ready.complete(null);
          }
        }
      } catch (Exception e) {
        // the process ended
      }
      ready.completeExceptionally(new AssertionError("schoolgate ended before it was ready"));
    }, "transport-start-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no '" + Banner.READY + "'; output:\n" + String.join("\n", lines),
          e);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return lines;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
