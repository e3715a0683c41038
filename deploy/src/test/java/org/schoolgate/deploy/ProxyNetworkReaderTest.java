package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.site.PacSettings;
import org.schoolgate.proxy.site.PageListenerSettings;
import org.schoolgate.proxy.transparent.TransparentMode;
import org.schoolgate.proxy.transparent.TransparentSettings;

/**
 * The {@code proxy:} section's transparent listeners, PAC file and page listener: read into
 * {@link ProxyConfig.Network}, absent means none, and mistakes are reported as file:line: field
 * with the fix.
 */
class ProxyNetworkReaderTest {
  @TempDir Path dir;

  @Test
  void transparentListenersPacAndPageListenerAreRead() throws Exception {
    ProxyConfig.Network n = load("""
        proxy:
          transparent: { http: 3129, https: 3130, mode: redirect }
          pac:
            proxies: [filter1.school.example:3128, filter2.school.example:3128]
            direct: [school.example, "*.school.internal"]
            direct-networks: [10.0.0.0/8]
          page-listener: { address: 10.0.0.5 }
        policy: p.yaml
        """).proxy().network();

    // the listeners take IPv4 and IPv6 alike (:: on a machine with IPv6, as here)
    assertThat(n.transparent()).isEqualTo(new TransparentSettings(
        InetAddress.getByName(ProxyNetworkReader.anyAddress()), 3129, 3130,
        TransparentMode.REDIRECT));
    assertThat(ProxyNetworkReader.anyAddress()).isEqualTo(
        java.nio.file.Files.exists(Path.of("/proc/net/if_inet6")) ? "::" : "0.0.0.0");
    assertThat(n.pac()).isEqualTo(new PacSettings(
        List.of("filter1.school.example:3128", "filter2.school.example:3128"),
        List.of("school.example", "*.school.internal"), List.of("10.0.0.0/8")));
    assertThat(n.pages()).isEqualTo(new PageListenerSettings(InetAddress.getByName("10.0.0.5"), 80));
  }

  @Test
  void thePageListenerTakesItsAddressFromTheDnsFiltersBlockAnswer() throws Exception {
    assertThat(load("""
        proxy:
          page-listener: { http: 8080 }
        dns-filter:
          block-answer: address 10.0.0.7 fd00::7
        policy: p.yaml
        """).proxy().network().pages()).isEqualTo(new PageListenerSettings(InetAddress.getByName("10.0.0.7"), 8080));
    assertThat(load("""
        proxy:
          page-listener: { address: "fd00::7" }
        dns-filter:
          block-answer: address 10.0.0.7 fd00::7
        policy: p.yaml
        """).proxy().network().pages().address()).isEqualTo(InetAddress.getByName("fd00::7"));
    assertThat(load("""
        proxy:
          page-listener: { address: 10.0.0.5 }
        dns-filter:
          block-answer: nxdomain
        policy: p.yaml
        """).proxy().network().pages().address()).isEqualTo(InetAddress.getByName("10.0.0.5"));
  }

  @Test
  void aPageListenerAddressThatIsNotTheBlockAnswersIsAConfigError() throws Exception {
    Path file = write("""
        proxy:
          page-listener: { address: 10.0.0.5 }
        dns-filter:
          block-answer: address 10.0.0.7
        policy: p.yaml
        """);
    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":2: proxy.page-listener.address: 10.0.0.5 is not the block-page address"
                + " dns-filter.block-answer answers with (line 4: address 10.0.0.7; expected: the same address,"
                + " or leave page-listener.address out to take it from there)"));
  }

  @Test
  void absentOrFalseMeansNone() throws Exception {
    assertThat(load("policy: p.yaml\n").proxy().network()).isEqualTo(ProxyConfig.Network.NONE);
    assertThat(load("proxy: { transparent: false }\npolicy: p.yaml\n").proxy().network())
        .isEqualTo(ProxyConfig.Network.NONE);
  }

  @Test
  void mistakesSayWhereAndHowToFixThem() throws Exception {
    Path file = write("""
        proxy:
          transparent: { http: 3129, mode: bridge }
          pac:
            proxies: ["filter1;alert(1)"]
          page-listener: { http: 80 }
        policy: p.yaml
        """);
    assertThatThrownBy(() -> RuntimeConfigLoader.load(file))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            file + ":2: proxy.transparent.mode: 'bridge' (expected: tproxy or redirect)",
            file + ":4: proxy.pac.proxies[0]: 'filter1;alert(1)' (expected: host:port such as"
                + " filter1.school.example:3128 or 10.0.0.5:3128)",
            file + ":5: proxy.page-listener.address: is required (expected: the block-page address"
                + " the DNS filter answers with, such as 10.0.0.5; or set dns-filter.block-answer: address"
                + " 10.0.0.5 and leave it out here)"));
    Path yes = write("proxy: { transparent: true }\npolicy: p.yaml\n");
    assertThatThrownBy(() -> RuntimeConfigLoader.load(yes))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            yes + ":1: proxy.transparent: 'true' (expected: false, or listeners such as"
                + " { http: 3129, https: 3130, mode: tproxy })"));
  }

  private RuntimeConfig load(String yaml) throws Exception {
    return RuntimeConfigLoader.load(write(yaml));
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "schoolgate", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
