package org.schoolgate.proxy.intercept;

import io.netty.handler.ssl.SslContext;
import java.util.concurrent.CompletableFuture;

/**
 * Where intercepted tunnels get the server-side TLS context for a host: a leaf certificate for
 * that name signed by the school's CA (in production {@code LeafCertificates::serverContext}).
 * Must not block the caller (an event loop): generation happens elsewhere and the future
 * completes there.
 */
@FunctionalInterface
public interface LeafSource {
  /** The server context presenting a certificate for {@code host}; completes off the caller. */
  CompletableFuture<SslContext> serverContext(String host);
}
