package org.schoolgate.proxy.tls;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.schoolgate.policy.url.UrlParser;

/**
 * Reads a TLS ClientHello (RFC 8446 4.1.2; TLS 1.0-1.3 record framing) from the readable bytes of
 * a buffer without consuming them, so the same bytes can be forwarded unchanged. The handshake
 * message may span several records. Untrusted input gives a result, never an exception: a first
 * byte that is not a handshake record, a bad version, or lengths that do not add up are
 * {@link ClientHello.NotTls}, and so is a server name that is not a host name.
 */
final class ClientHelloParser {
  static final int SERVER_NAME = 0x0000;
  static final int ENCRYPTED_CLIENT_HELLO = 0xfe0d;
  private static final int HANDSHAKE = 22;
  private static final int CLIENT_HELLO = 1;
  private static final int MAX_RECORD = 16384 + 2048;

  private ClientHelloParser() {}

  /** Parses {@code buf}'s readable bytes; {@code max} bounds the handshake message length. */
  static ClientHello parse(ByteBuf buf, int max) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    if (i < end && buf.getUnsignedByte(i) != HANDSHAKE) {
      return new ClientHello.NotTls("the first byte is 0x" + Integer.toHexString(buf.getUnsignedByte(i))
          + ", not a TLS handshake record");
    }
    byte[] message = null;
    int have = 0;
    while (true) {
      if (end - i < 5) {
        return ClientHello.INCOMPLETE;
      }
      if (buf.getUnsignedByte(i) != HANDSHAKE) {
        return new ClientHello.NotTls("a record of type " + buf.getUnsignedByte(i)
            + " interrupts the ClientHello");
      }
      if (buf.getUnsignedByte(i + 1) != 3) {
        return new ClientHello.NotTls("record version " + buf.getUnsignedByte(i + 1) + "."
            + buf.getUnsignedByte(i + 2) + " is not TLS");
      }
      int length = buf.getUnsignedShort(i + 3);
      if (length == 0 || length > MAX_RECORD) {
        return new ClientHello.NotTls("record length " + length + " is out of range");
      }
      if (end - i - 5 < length) {
        return ClientHello.INCOMPLETE;
      }
      if (message == null) {
        message = new byte[length];
      } else if (have + length > message.length) {
        message = java.util.Arrays.copyOf(message, have + length); // bounded by the buffered bytes
      }
      buf.getBytes(i + 5, message, have, length);
      have += length;
      i += 5 + length;
      if (have >= 4) {
        if ((message[0] & 0xff) != CLIENT_HELLO) {
          return new ClientHello.NotTls("the first handshake message is type " + (message[0] & 0xff)
              + ", not a ClientHello");
        }
        int bodyLength = ((message[1] & 0xff) << 16) | ((message[2] & 0xff) << 8) | (message[3] & 0xff);
        if (bodyLength > max) {
          return new ClientHello.NotTls("the ClientHello is longer than " + max + " bytes");
        }
        if (have >= 4 + bodyLength) {
          return body(message, 4, 4 + bodyLength);
        }
      }
    }
  }

  private static ClientHello body(byte[] b, int start, int end) {
    Reader r = new Reader(b, start, end);
    r.skip(2 + 32); // legacy_version, random
    r.skip(r.u8()); // legacy_session_id
    r.skip(r.u16()); // cipher_suites
    r.skip(r.u8()); // legacy_compression_methods
    if (r.bad) {
      return new ClientHello.NotTls("the ClientHello is malformed");
    }
    if (r.at == end) {
      return new ClientHello.Hello(null, false); // no extensions
    }
    int extensionsEnd = r.at + 2 + r.u16();
    if (r.bad || extensionsEnd > end) {
      return new ClientHello.NotTls("the ClientHello's extensions overrun it");
    }
    String serverName = null;
    boolean ech = false;
    while (r.at < extensionsEnd) {
      int type = r.u16();
      int length = r.u16();
      int next = r.at + length;
      if (r.bad || next > extensionsEnd) {
        return new ClientHello.NotTls("a ClientHello extension overruns the extensions");
      }
      if (type == ENCRYPTED_CLIENT_HELLO) {
        ech = true;
      } else if (type == SERVER_NAME && serverName == null) {
        serverName = serverName(b, r.at, next);
        if (serverName == null) {
          return new ClientHello.NotTls("the server_name extension is malformed");
        }
        String problem = notAHost(serverName);
        if (problem != null) {
          return new ClientHello.NotTls("the server name is not a host name: " + problem);
        }
      }
      r.at = next;
    }
    return new ClientHello.Hello(serverName, ech);
  }

  /** The first host_name in a server_name extension body, or null when malformed. */
  private static String serverName(byte[] b, int start, int end) {
    Reader r = new Reader(b, start, end);
    int listEnd = r.at + 2 + r.u16();
    if (r.bad || listEnd > end) {
      return null;
    }
    while (r.at < listEnd) {
      int nameType = r.u8();
      int length = r.u16();
      if (r.bad || r.at + length > listEnd) {
        return null;
      }
      if (nameType == 0 && length > 0) {
        return new String(b, r.at, length, StandardCharsets.ISO_8859_1);
      }
      r.at += length;
    }
    return null;
  }

  /**
   * Why {@code name} is not a host name (RFC 6066: ASCII, what {@link UrlParser#normalizeHost}
   * reads as a name or address), or null when it is one. TLS stacks refuse such names too; here
   * they would otherwise reach the access log and the checks as sent, control bytes and all.
   */
  private static String notAHost(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return String.format(java.util.Locale.ROOT, "byte 0x%02x at %d is not a printable ASCII character", (int) c, i);
      }
    }
    try {
      UrlParser.normalizeHost(name);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Bounds-checked big-endian reads; a read past the end sets {@code bad}. */
  private static final class Reader {
    final byte[] b;
    final int end;
    int at;
    boolean bad;

    Reader(byte[] b, int start, int end) {
      this.b = b;
      this.at = start;
      this.end = end;
    }

    int u8() {
      if (at + 1 > end) {
        bad = true;
        return 0;
      }
      return b[at++] & 0xff;
    }

    int u16() {
      if (at + 2 > end) {
        bad = true;
        return 0;
      }
      int v = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
      at += 2;
      return v;
    }

    void skip(int n) {
      if (at + n > end) {
        bad = true;
        at = end;
      } else {
        at += n;
      }
    }
  }
}
