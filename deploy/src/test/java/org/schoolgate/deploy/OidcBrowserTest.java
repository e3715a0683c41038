package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.oidc.OidcSettings;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * Chromium signs a teacher in to the console with the school account: the sign-in page's button,
 * the real provider on loopback and its redirect back, Schoolgate's callback and the page that
 * moves on by itself (meta refresh, so the console's strict cookies travel) to the page asked for.
 */
class OidcBrowserTest {
  private static final String CLIENT_ID = "schoolgate-browser";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
  private MockOAuth2Server provider;
  private Schoolgate schoolgate;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
    Path policy = SamplePolicy.extractTo(dataDir);
    provider.issueToken("school", "warm-up"); // the provider makes its keys on first use: not inside a sign-in
    // a shared CI machine may be slow: generous provider timeouts (the default is 5 s)
    OidcSettings oidc = new OidcSettings(provider.issuerUrl("school").uri(), CLIENT_ID, "browser-secret", null, null,
        null, null, List.of("school.example"), null, null, Duration.ofSeconds(30), null);
    schoolgate = Schoolgate.start(RuntimeConfig.embedded(dataDir, policy)
        .withDns(new RuntimeConfig.DnsSettings(List.of(), Map.of())).withProxyPort(0).withAdminPort(0)
        .withDnsFilterPort(0).withOidc(oidc), clock);
    schoolgate.store().accounts().create("mrs.jones", "Mrs Jones", "correct horse battery".toCharArray(),
        EnumSet.of(Role.TEACHER), new Actor(null, "test-setup", null));
    browser = new Browser("http://127.0.0.1:" + schoolgate.admin().port());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (schoolgate != null) {
        schoolgate.close();
      }
      provider.shutdown();
    }
  }

  @Test
  void aTeacherSignsInToTheConsoleWithTheSchoolAccountInChromium() throws Exception {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("school", "sub-jones", "JWT", List.of(CLIENT_ID),
        Map.of("preferred_username", "Mrs.Jones@school.example"), 3600));

    browser.open("/requests");
    assertThat(browser.path()).startsWith("/sign-in?next=");
    browser.click("#oidc-sign-in");

    Eventually.within(Duration.ofSeconds(30), () -> assertThat(browser.path()).isEqualTo("/requests"));
    Eventually.within(Duration.ofSeconds(30), () -> assertThat(browser.heading()).isEqualTo("My requests"));
    assertThat(browser.text("body")).contains("Mrs Jones");
  }
}
