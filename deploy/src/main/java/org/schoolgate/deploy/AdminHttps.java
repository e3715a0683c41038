package org.schoolgate.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Arrays;
import org.schoolgate.admin.tls.AdminTls;
import org.schoolgate.proxy.ca.CaException;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.ca.ServerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port's certificate: read from {@code admin.tls.certificate}/{@code key}, or issued at
 * start by the school's CA ({@code interception:}) for the public URL's host. Hands the admin API
 * only a key and a chain (admin-api does not depend on the proxy's CA code).
 */
final class AdminHttps {
  private static final Logger log = LoggerFactory.getLogger(AdminHttps.class);

  private AdminHttps() {}

  /** The admin API's TLS settings, or null when {@code admin.tls} is absent. */
  static AdminTls of(RuntimeConfig config, Clock clock) throws IOException {
    RuntimeConfig.AdminTlsSettings tls = config.admin().tls();
    if (tls == null) {
      return null;
    }
    URI publicUrl = config.admin().publicUrl();
    ServerCertificate cert;
    char[] password = null;
    try {
      if (tls.schoolCa()) {
        CaSettings ca = config.interception();
        if (ca.passwordFile() != null) {
          password = Files.readString(ca.passwordFile(), StandardCharsets.UTF_8).strip().toCharArray();
        }
        SchoolCa school = ca.pkcs12() != null ? SchoolCa.loadPkcs12(ca.pkcs12(), password, clock)
            : SchoolCa.load(ca.certificate(), ca.key(), password, clock);
        String host = publicUrl != null ? publicUrl.getHost() : config.admin().listen().getAddress().getHostAddress();
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        cert = ServerCertificate.issue(school, host, clock);
        log.info("admin HTTPS: certificate for {} issued by {} (valid until {})", host,
            school.certificate().getSubjectX500Principal().getName(), cert.chain().get(0).getNotAfter().toInstant());
      } else {
        if (tls.keyPasswordFile() != null) {
          password = Files.readString(tls.keyPasswordFile(), StandardCharsets.UTF_8).strip().toCharArray();
        }
        cert = ServerCertificate.load(tls.certificate(), tls.key(), password);
      }
    } catch (CaException e) {
      throw new IllegalArgumentException("admin.tls: " + e.getMessage(), e);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    return new AdminTls(cert.key(), cert.chain(), tls.redirectFrom(), publicUrl, tls.hstsMaxAge());
  }
}
