package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;

/**
 * The built jar as a school sets it up for issues 5 and 6: {@code schoolgate ca init}, then
 * {@code run --config} with an SMTP server for alerts and interception on for ks3-4. Checks what
 * only the shaded jar can break (the mail provider found through the service loader, BouncyCastle
 * signing leaves): an illegal-category attempt reaches the DSL's mailbox, and a blocked HTTPS site
 * shows the block page inside TLS under the school's CA.
 */
class SchoolgateJarSafeguardingIT {
  @TempDir Path dataDir;
  private final GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private JarProcess jar;

  @BeforeEach
  void setUp() throws Exception {
    mail.start();
    JarProcess.Finished init = JarProcess.runToEnd("ca", "init", "--data-dir", dataDir.toString(),
        "--name", "Test Academy");
    assertThat(init.exitCode()).as(init.output()).isZero();
    assertThat(init.output()).contains("SHA-256");

    Path policy = SamplePolicy.extractTo(dataDir);
    String yaml = Files.readString(policy);
    assertThat(yaml).contains("  groups: { default: off }\n");
    Files.writeString(policy, yaml.replace("  groups: { default: off }\n",
        "  groups: { default: off, ks3-4: search-and-blocked }\n"));
    Path config = dataDir.resolve("schoolgate.yaml");
    Files.writeString(config, String.join("\n",
        "proxy: { listen: 127.0.0.1:0 }",
        "admin: { listen: 127.0.0.1:0 }",
        "policy: policy.yaml",
        "alerts:",
        "  smtp: { host: 127.0.0.1, port: " + mail.getSmtp().getPort() + ", security: 'off',"
            + " from: schoolgate@test-academy.example }",
        "  routes:",
        "    - { match: { audience: dsl }, to: [email:dsl@test-academy.example] }",
        "interception:",
        "  ca-certificate: ca/schoolgate-ca.pem",
        "  ca-key: ca/schoolgate-ca.key",
        ""));
    jar = JarProcess.start("run", "--config", config.toString());
  }

  @AfterEach
  void stop() {
    if (jar != null) {
      jar.close();
    }
    mail.stop();
  }

  @Test
  void theJarEmailsTheDslAndShowsTheBlockPageInsideHttps() throws Exception {
    X509Certificate schoolCa;
    try (InputStream in = Files.newInputStream(dataDir.resolve("ca/schoolgate-ca.pem"))) {
      schoolCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("school", schoolCa);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpClient pupil = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", jar.proxyPort())))
        .sslContext(tls)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    HttpResponse<String> page = pupil.send(HttpRequest.newBuilder(URI.create("https://www.bet365.com/odds")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("www.bet365.com", "gambling");
    SSLSession session = page.sslSession().orElseThrow();
    assertThat(((X509Certificate) session.getPeerCertificates()[0]).getIssuerX500Principal())
        .isEqualTo(schoolCa.getSubjectX500Principal());

    HttpResponse<String> illegal = pupil.send(
        HttpRequest.newBuilder(URI.create("http://extreme-pornography.schoolgate.test/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(illegal.statusCode()).isEqualTo(403);
    Eventually.within(Duration.ofSeconds(10), () -> assertThat(mail.getReceivedMessages()).isNotEmpty());
    MimeMessage m = mail.getReceivedMessages()[0];
    assertThat(m.getSubject()).contains("critical", "extreme-pornography.schoolgate.test");
    // the shaded jar loads Netty's BoringSSL natives for the interception TLS
    assertThat(jar.output()).anyMatch(line -> line.contains("interception CA loaded") && line.contains("TLS by BoringSSL"));
  }
}
