/**
 * The socket layer: Netty's native epoll transport on Linux (NIO elsewhere, or when asked), the
 * socket options every proxy channel gets, and the pooled direct-buffer allocator.
 */
package org.schoolgate.proxy.transport;
