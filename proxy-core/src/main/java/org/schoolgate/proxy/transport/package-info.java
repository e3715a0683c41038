/**
 * The socket layer: Netty's native epoll transport on Linux (or io_uring, or Java NIO, as {@code
 * proxy.transport} asks), the socket options every proxy channel gets, and the pooled
 * direct-buffer allocator.
 */
package org.schoolgate.proxy.transport;
