package org.schoolgate.proxy.site;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.pages.Html;

/**
 * The school CA's download, made once at start: the install page ({@code /ca}: both downloads,
 * the SHA-256 fingerprint to compare, short steps for Windows, macOS, iOS, Android and ChromeOS),
 * the certificate as PEM ({@code /ca.pem}) and as DER ({@code /ca.der}, the type phones install
 * from). Never the key.
 */
final class CaDownload {
  static final String PEM_TYPE = "application/x-pem-file";
  static final String DER_TYPE = "application/x-x509-ca-cert";

  final ByteBuf page;
  final ByteBuf pem;
  final ByteBuf der;

  private CaDownload(ByteBuf page, ByteBuf pem, ByteBuf der) {
    this.page = page;
    this.pem = pem;
    this.der = der;
  }

  static CaDownload of(X509Certificate ca) {
    byte[] encoded;
    try {
      encoded = ca.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the school CA's certificate cannot be encoded: "
          + e.getMessage(), e);
    }
    String pemText = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded)
        + "\n-----END CERTIFICATE-----\n";
    String html = template()
        .replace("{{subject}}", Html.escape(ca.getSubjectX500Principal().getName()))
        .replace("{{fingerprint}}", Html.escape(SchoolCa.fingerprintSha256(ca)));
    return new CaDownload(fixed(html.getBytes(StandardCharsets.UTF_8)),
        fixed(pemText.getBytes(StandardCharsets.US_ASCII)), fixed(encoded));
  }

  private static String template() {
    try (InputStream in = CaDownload.class.getResourceAsStream("ca.html")) {
      if (in == null) {
        throw new IllegalStateException("ca.html is missing from the proxy's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ByteBuf fixed(byte[] bytes) {
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }
}
