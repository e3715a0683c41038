package org.schoolgate.proxy.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyExtension;

/** What the download tests through the real proxy share: their access lines and a program's bytes. */
final class DownloadLines {
  private DownloadLines() {}

  /**
   * The first access line of {@code client} for {@code scheme}://{@code host}{@code path} (any host
   * when {@code host} is null), once written.
   */
  static Map<String, Object> line(ProxyExtension proxy, String path, String client, String host, String scheme)
      throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path")) && client.equals(l.get("client"))
          && (host == null || host.equals(l.get("host"))) && scheme.equals(l.get("scheme"))).findFirst()
          .ifPresent(found::add);
      assertThat(found).as("access line of %s for %s://%s%s", client, scheme, host, path).hasSize(1);
    });
    return found.get(0);
  }

  /** The line's {@code download} object (it must have one). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> download(Map<String, Object> line) {
    assertThat(line).containsKey("download");
    return (Map<String, Object>) line.get("download");
  }

  /** A Windows program's head (MZ, e_lfanew at 0x80, the PE signature there), then random bytes from {@code seed}. */
  static byte[] program(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    b[0] = 'M';
    b[1] = 'Z';
    b[0x3C] = (byte) 0x80;
    b[0x3D] = 0;
    b[0x3E] = 0;
    b[0x3F] = 0;
    b[0x80] = 'P';
    b[0x81] = 'E';
    b[0x82] = 0;
    b[0x83] = 0;
    return b;
  }
}
