package org.schoolgate.resolver;

import org.schoolgate.proxy.log.DnsEvent;

/**
 * Where the resolver's query events go: the proxy's access log ({@code proxy.accessLog()::offer}),
 * so DNS lines sit beside the HTTP lines in the same daily files and feed the same alert rules.
 * Called on the resolver's event loop: it must not block (the access log queues and never waits).
 */
@FunctionalInterface
public interface QueryLog {
  /** Logs nothing. */
  QueryLog NONE = event -> { };

  void offer(DnsEvent event);
}
