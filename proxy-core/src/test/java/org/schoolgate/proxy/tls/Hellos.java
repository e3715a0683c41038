package org.schoolgate.proxy.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built TLS ClientHello records for tests (RFC 8446 4.1.2 layout). */
final class Hellos {
  private Hellos() {}

  /** One handshake record with a ClientHello naming {@code sni} (none when null), with ECH if asked. */
  static byte[] clientHello(String sni, boolean ech) {
    return record(handshake(body(sni, ech)));
  }

  static byte[] body(String sni, boolean ech) {
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    if (sni != null) {
      byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      list.write(0);
      u16(list, name.length);
      list.writeBytes(name);
      ByteArrayOutputStream ext = new ByteArrayOutputStream();
      u16(ext, list.size());
      ext.writeBytes(list.toByteArray());
      extension(extensions, 0x0000, ext.toByteArray());
    }
    extension(extensions, 0x000a, new byte[] {0, 2, 0, 0x1d}); // supported_groups: x25519
    if (ech) {
      // outer ECH: type 0, kdf/aead ids, config id, enc (empty), payload
      extension(extensions, 0xfe0d, new byte[] {0, 0, 1, 0, 1, 7, 0, 0, 0, 4, 1, 2, 3, 4});
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    u16(b, 0x0303);
    b.writeBytes(new byte[32]); // random
    b.write(0); // session id
    u16(b, 2);
    u16(b, 0x1301); // TLS_AES_128_GCM_SHA256
    b.write(1);
    b.write(0); // null compression
    u16(b, extensions.size());
    b.writeBytes(extensions.toByteArray());
    return b.toByteArray();
  }

  static byte[] handshake(byte[] body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(1);
    b.write(body.length >>> 16);
    u16(b, body.length & 0xffff);
    b.writeBytes(body);
    return b.toByteArray();
  }

  static byte[] record(byte[] fragment) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(22);
    u16(b, 0x0301);
    u16(b, fragment.length);
    b.writeBytes(fragment);
    return b.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v & 0xff);
  }
}
