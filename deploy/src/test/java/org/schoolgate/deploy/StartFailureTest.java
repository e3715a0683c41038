package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.store.DatabaseConfig;

/**
 * A start that fails leaves no directory it created behind (the access log's, the SQLite file's),
 * wherever it fails: the database, the admin port, the proxy port.
 */
class StartFailureTest {
  @TempDir Path dir;
  private Path policy;
  private Path logs;
  private Path data;

  @BeforeEach
  void policy() throws Exception {
    policy = dir.resolve("etc/policy.yaml");
    Files.createDirectories(policy.getParent());
    try (InputStream in = StartFailureTest.class.getResourceAsStream("policy.yaml")) {
      Files.copy(in, policy);
    }
    logs = dir.resolve("var/log/schoolgate");
    data = dir.resolve("var/lib/schoolgate");
  }

  private RuntimeConfig config(int proxyPort, int adminPort, DatabaseConfig database) {
    return new RuntimeConfig(RuntimeConfig.ProxySettings.defaults(new InetSocketAddress("127.0.0.1", proxyPort)),
        new RuntimeConfig.AdminSettings(new InetSocketAddress("127.0.0.1", adminPort), null), policy, logs,
        RuntimeConfig.DnsSettings.system(), database, RuntimeConfig.DEFAULT_MAX_UNBLOCK);
  }

  @Test
  void anUnreachableDatabaseCreatesNoDirectory() throws Exception {
    int closed = TestFeeds.closedPort();
    RuntimeConfig config = config(0, 0, new DatabaseConfig("jdbc:postgresql://127.0.0.1:" + closed + "/schoolgate",
        "schoolgate", "x"));

    assertThatThrownBy(() -> Schoolgate.start(config, Clock.systemUTC()))
        .hasMessageContaining("cannot open the database at jdbc:postgresql://127.0.0.1:" + closed);
    assertThat(dir.resolve("var")).doesNotExist();
  }

  @Test
  void aBusyAdminPortRemovesTheDatabaseDirectoryItMade() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RuntimeConfig config = config(0, busy.getLocalPort(), DatabaseConfig.sqlite(data));

      assertThatThrownBy(() -> Schoolgate.start(config, Clock.systemUTC())).isInstanceOf(RuntimeException.class);
    }
    assertThat(dir.resolve("var")).doesNotExist();
    assertThat(dir.resolve("etc/policy.yaml")).as("what was there before stays").isRegularFile();
  }

  @Test
  void aBusyProxyPortRemovesTheLogAndDatabaseDirectoriesWithWhatWasWrittenInThem() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RuntimeConfig config = config(busy.getLocalPort(), 0, DatabaseConfig.sqlite(data));

      assertThatThrownBy(() -> Schoolgate.start(config, Clock.systemUTC()))
          .hasMessageContaining("proxy could not start on /127.0.0.1:" + busy.getLocalPort());
    }
    assertThat(dir.resolve("var")).doesNotExist();
  }

  @Test
  void directoriesThatExistedBeforeAreKept() throws Exception {
    Files.createDirectories(logs);
    Files.createDirectories(data);
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RuntimeConfig config = config(busy.getLocalPort(), 0, DatabaseConfig.sqlite(data));

      assertThatThrownBy(() -> Schoolgate.start(config, Clock.systemUTC())).isInstanceOf(RuntimeException.class);
    }
    assertThat(logs).isDirectory();
    assertThat(data).isDirectory();
  }
}
