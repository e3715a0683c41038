/**
 * The socket layer: Netty's native io_uring transport on Linux where it loads and its start-up
 * probe works, else epoll, else Java NIO (or the one {@code proxy.transport} insists on), the socket options every proxy channel gets, and the pooled
 * direct-buffer allocator.
 */
package org.schoolgate.proxy.transport;
