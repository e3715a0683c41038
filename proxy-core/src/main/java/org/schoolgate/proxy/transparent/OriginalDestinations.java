package org.schoolgate.proxy.transparent;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Where a redirected client meant to go. TPROXY keeps the original destination as the accepted
 * socket's local address; REDIRECT rewrites it to the proxy's own, and connection tracking keeps
 * the original, read with {@code getsockopt(fd, SOL_IP, SO_ORIGINAL_DST)} ({@code SOL_IPV6,
 * IP6T_SO_ORIGINAL_DST} for IPv6) on the native channel's descriptor (epoll's and io_uring's
 * channels both expose it, and both read their local address from the accepted socket, so TPROXY
 * and REDIRECT work on either: TransparentNetnsTest). Netty exposes neither option;
 * the call goes through JNA ({@link Libc}): a well-kept library from Maven Central, where JNI
 * would mean building native code and Java 17 has no foreign-function API yet. One system call,
 * made once per connection on its event loop (it does not block).
 */
public final class OriginalDestinations {
  private static final int SOL_IP = 0;
  private static final int SOL_IPV6 = 41;
  /** {@code SO_ORIGINAL_DST} and {@code IP6T_SO_ORIGINAL_DST} (linux/netfilter_ipv4.h, ipv6). */
  private static final int SO_ORIGINAL_DST = 80;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  private OriginalDestinations() {}

  /**
   * Reads each accepted connection's original destination the way {@code mode} keeps it. Call at
   * start (not on an event loop): for REDIRECT it loads the C library through JNA here, once.
   */
  public static java.util.function.Function<Channel, InetSocketAddress> reader(
      TransparentMode mode) {
    if (mode == TransparentMode.REDIRECT) {
      Libc.loaded();
    }
    return ch -> of(ch, mode);
  }

  /**
   * The original destination of {@code accepted}, or null when it cannot be known (not native,
   * no connection-tracking entry: a connection that was not redirected, JNA unavailable).
   */
  static InetSocketAddress of(Channel accepted, TransparentMode mode) {
    if (mode == TransparentMode.TPROXY) {
      return (InetSocketAddress) accepted.localAddress();
    }
    if (!(accepted instanceof UnixChannel unix)) {
      return null;
    }
    InetSocketAddress local = (InetSocketAddress) accepted.localAddress();
    boolean v6 = local != null && local.getAddress() instanceof java.net.Inet6Address
        && !isMappedV4(local.getAddress());
    return Libc.originalDestination(unix.fd().intValue(), v6);
  }

  private static boolean isMappedV4(InetAddress a) {
    byte[] b = a.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** {@code getsockopt} through JNA direct mapping, loaded on first use. */
  static final class Libc {
    private static final boolean LOADED = load();

    private Libc() {}

    private static boolean load() {
      try {
        com.sun.jna.Native.register(Libc.class, com.sun.jna.Platform.C_LIBRARY_NAME);
        return true;
      } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no JNA here
        org.slf4j.LoggerFactory.getLogger(OriginalDestinations.class).warn(
            "JNA could not load the C library ({}): REDIRECT connections' original destinations"
                + " are unknown (use TPROXY mode, or a platform JNA supports)", e.toString());
        return false;
      }
    }

    static native int getsockopt(int fd, int level, int name, byte[] value, int[] length);

    /** True when the C library was loaded (initialising this class loads it). */
    static boolean loaded() {
      return LOADED;
    }

    /** Null when the call fails (e.g. ENOENT: the connection was not redirected). */
    static InetSocketAddress originalDestination(int fd, boolean v6) {
      if (!LOADED) {
        return null;
      }
      byte[] buf = new byte[28];
      int[] len = {v6 ? 28 : 16};
      if (getsockopt(fd, v6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, buf, len) != 0) {
        return null;
      }
      return parse(buf, len[0]);
    }
  }

  /** A {@code sockaddr_in} or {@code sockaddr_in6} (family in host order: little-endian here). */
  static InetSocketAddress parse(byte[] sockaddr, int length) {
    int family = (sockaddr[0] & 0xff) | (sockaddr[1] & 0xff) << 8;
    int port = (sockaddr[2] & 0xff) << 8 | (sockaddr[3] & 0xff);
    try {
      if (family == AF_INET && length >= 8) {
        return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8)),
            port);
      }
      if (family == AF_INET6 && length >= 24) {
        return new InetSocketAddress(
            InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 8, 24)), port);
      }
    } catch (UnknownHostException e) {
      return null; // a 4- or 16-byte array is always an address
    }
    return null;
  }
}
