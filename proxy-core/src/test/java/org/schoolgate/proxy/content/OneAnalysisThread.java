package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;

/**
 * What the end-to-end tests of the analysis thread share: a school with pupils (block rules, so a
 * failed analysis fails closed) and staff (log only, so it fails open) on one analysis thread
 * that takes each response after its first byte, and the access line of one request.
 */
final class OneAnalysisThread {
  static final String PUPIL = "127.0.0.2";
  static final String STAFF = "127.0.0.3";

  private OneAnalysisThread() {}

  /** The proxy, pages at {@code pages.test}, one analysis thread with a queue of {@code queue} pieces. */
  static ProxyExtension proxy(int queue) {
    return ProxyExtension.withPolicy("""
            timezone: Europe/London
            clients:
              allow: [127.0.0.0/29]
            groups:
              pupils: { subnets: [127.0.0.2/32] }
              staff:  { subnets: [127.0.0.3/32] }
            default: acceptable
            content:
              look-ahead: 64KiB
              groups:
                pupils: { default: alert, self-harm: block }
                staff: log
            """)
        .staticHost("pages.test", "127.0.0.1")
        .contentAnalysis(new AnalysisSettings(1, queue, 1, 256, 8));
  }

  static String url(StreamingOrigin origin, String path) {
    return "http://pages.test:" + origin.port() + path;
  }

  /** The access line of {@code client}'s request for {@code path} (waits for the writer). */
  static Map<String, Object> line(ProxyExtension proxy, String path, String client) throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path")) && client.equals(l.get("client")))
          .findFirst().ifPresent(found::add);
      assertThat(found).as("access line of %s for %s", client, path).hasSize(1);
    });
    return found.get(0);
  }

  /** The line's {@code content} object. */
  static Map<String, Object> content(ProxyExtension proxy, String path, String client) throws Exception {
    return ContentAnalysisEndToEndTest.content(line(proxy, path, client));
  }
}
