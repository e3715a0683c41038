package org.schoolgate.policy.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Hosts, paths and look-alike checks that are already normal cost no allocation: plain ASCII
 * names never reach ICU, and an {@code xn--} host is decoded and checked once, then found in the
 * checked-hosts cache.
 */
class NormalFastPathAllocationTest {
  private static final String[] HOSTS = {
      "www.example.com", "10.0.0.1", "xn--bcher-kva.example", "a-b_c.example.co.uk",
      "xn--80ak6aa92e.com", "www.xn--strae-oqa.de"};
  private static final String[] PATHS = {"/", "/games/", "/a/b/c.html", "/ä"};

  @Test
  void alreadyNormalInputAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long sink = run(20_000);
    long before = threads.getThreadAllocatedBytes(id);
    sink += run(200_000);
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(sink).isPositive();
    assertThat(allocated).as("bytes allocated by 200,000 normal inputs").isLessThan(10_000);
  }

  private static long run(int times) {
    long sink = 0;
    for (int i = 0; i < times; i++) {
      String host = HOSTS[i % HOSTS.length];
      sink += UrlParser.normalizeHost(host).length();
      sink += UrlParser.isNormalDomain(host) ? 1 : 0;
      sink += UrlParser.normalizePath(PATHS[i % PATHS.length]).length();
      sink += UrlParser.isMixedScript(host) ? 1 : 2;
    }
    return sink;
  }
}
