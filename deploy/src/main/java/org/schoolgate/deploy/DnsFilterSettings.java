package org.schoolgate.deploy;

import java.util.Objects;
import org.schoolgate.resolver.DnsFilterConfig;

/**
 * The filtering DNS resolver as Schoolgate runs it ({@code dns-filter:} in the runtime
 * configuration).
 *
 * @param config listen addresses, upstreams, block answer, cache, rate limit, TTLs
 * @param required whether Schoolgate refuses to start when the resolver cannot (true for a
 *     configuration file); the embedded default's resolver is a try-out, so a busy port 8053 only
 *     costs a warning there
 */
public record DnsFilterSettings(DnsFilterConfig config, boolean required) {
  public DnsFilterSettings {
    Objects.requireNonNull(config, "dns-filter");
  }

  /** The embedded default: 127.0.0.1:8053, UDP and TCP, NXDOMAIN for blocked names; not required. */
  static DnsFilterSettings embedded() {
    return new DnsFilterSettings(DnsFilterConfig.embeddedDefault(), false);
  }

  /** These settings with every listen address on {@code port}. */
  DnsFilterSettings withPort(int port) {
    return new DnsFilterSettings(config.withPort(port), required);
  }
}
