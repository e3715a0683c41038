package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.schoolgate.proxy.testing.TestPolicy.STAFF;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.PolicyHolder;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyClient;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ScriptedOrigin;
import org.schoolgate.proxy.testing.TestPolicy;

/**
 * Stopping drains: the listener closes at once, an idle keep-alive connection is closed, and an
 * exchange in flight is answered whole (with {@code Connection: close}) before its connection
 * closes.
 */
class DrainTest {
  @RegisterExtension
  static ScriptedOrigin origin = new ScriptedOrigin();

  @TempDir Path dir;

  @Test
  void anExchangeInFlightFinishesAndNothingNewIsAccepted() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), TestPolicy.YAML);
    ProxyServer proxy = ProxyServer.start(ProxyConfig.builder()
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .accessLogDir(dir.resolve("logs"))
        .hostsFile(Files.writeString(dir.resolve("hosts"), ""))
        .staticHosts(Map.of("school.test", InetAddress.getLoopbackAddress()))
        .connections(ProxyConfig.Connections.DEFAULTS.withDrainTimeout(Duration.ofSeconds(10)))
        .build(), PolicyHolder.load(policy, Clock.systemUTC())::current, new SimpleMeterRegistry(),
        Clock.systemUTC());
    InetSocketAddress address = proxy.address();
    try (ProxyClient busy = ProxyClient.connect(address, STAFF);
        ProxyClient idle = ProxyClient.connect(address, STAFF)) {
      assertThat(idle.get("http://school.test:" + origin.port() + "/first").status()).isEqualTo(200);
      int seen = origin.requests().size(); // before sending: the origin may see it at once
      busy.out().write(("GET http://school.test:" + origin.port() + "/slow HTTP/1.1\r\n"
          + "Host: school.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      busy.out().flush();
      Eventually.within(Duration.ofSeconds(10), // the slow request has reached the origin
          () -> assertThat(origin.requests()).hasSizeGreaterThan(seen));

      CompletableFuture<Void> closing = CompletableFuture.runAsync(proxy::close);
      Response answer = busy.read();

      assertThat(answer.text()).isEqualTo("slow but sure");
      assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
      assertThat(busy.closedByPeer()).isTrue();
      assertThat(idle.closedByPeer()).isTrue();
      closing.get();
      assertThatThrownBy(() -> ProxyClient.connect(address, STAFF).close())
          .isInstanceOf(IOException.class);
    } finally {
      proxy.close();
    }
  }
}
