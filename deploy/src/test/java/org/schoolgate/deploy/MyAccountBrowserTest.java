package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.policy.sample.SamplePolicy;
import org.schoolgate.policy.testing.MutableClock;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/**
 * "My account" and the taught groups in a real browser (Debian's headless Chromium through
 * Selenium) against the real admin server and SQLite database: a teacher changes their password
 * from the header's link and signs in with the new one, and their "why is this blocked?" offers
 * only the groups they teach; the DSL moves its second factor to a new authenticator app and gets
 * new recovery codes. axe-core finds no serious or critical problem on any page visited.
 */
class MyAccountBrowserTest {
  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private static final String OLD_PASSWORD = "correct horse battery";
  private static final String NEW_PASSWORD = "purple elephant umbrella";

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private Schoolgate schoolgate;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    Path policy = SamplePolicy.extractTo(dataDir);
    schoolgate = Schoolgate.start(RuntimeConfig.embedded(dataDir, policy).withProxyPort(0).withAdminPort(0), clock);
    Actor setup = new Actor(null, "test-setup", null);
    Account jones = schoolgate.store().accounts().create("mrs.jones", "Mrs Jones", OLD_PASSWORD.toCharArray(),
        EnumSet.of(Role.TEACHER), setup);
    schoolgate.store().accounts().setTaughtGroups(jones.id(), List.of("ks3-4"), setup, "Year 10 form");
    schoolgate.store().accounts().create("ms.dsl", "Ms Safe", "safeguarding first always".toCharArray(),
        EnumSet.of(Role.DSL), setup);
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
    }
  }

  @Test
  void aTeacherChangesTheirPasswordSignsInWithItAndAsksAboutTheirOwnGroupOnly() throws Exception {
    browser.open("/");
    browser.signIn("mrs.jones", OLD_PASSWORD);
    browser.click("#my-account-link");
    assertThat(browser.path()).isEqualTo("/account");
    assertThat(browser.heading()).isEqualTo("My account");
    assertThat(browser.text("#my-groups")).isEqualTo("ks3-4");
    assertThat(browser.text("#my-sign-ins")).contains("signed in").contains("password");
    accessible();

    browser.type("#current-password", "not the password at all").type("#new-password", NEW_PASSWORD)
        .type("#confirm-password", NEW_PASSWORD).click("#change-password");
    assertThat(browser.text("#account-error")).contains("current password is wrong");
    accessible();
    browser.type("#current-password", OLD_PASSWORD).type("#new-password", NEW_PASSWORD)
        .type("#confirm-password", NEW_PASSWORD).click("#change-password");
    assertThat(browser.path()).isEqualTo("/account");
    assertThat(browser.text("#flash-message")).contains("Your password is changed");
    accessible();

    browser.signOut().open("/why-blocked");
    browser.signIn("mrs.jones", OLD_PASSWORD);
    assertThat(browser.path()).as("the old password no longer works").startsWith("/sign-in");
    browser.type("#username", "mrs.jones").type("#password", NEW_PASSWORD).click("#sign-in");
    assertThat(browser.path()).isEqualTo("/why-blocked");
    assertThat(browser.all("#group option")).extracting(e -> e.getAttribute("value")).containsExactly("ks3-4");
    accessible();
    browser.type("#url", "http://www.bet365.com/").click("#explain");
    assertThat(browser.text("#verdict")).isEqualTo("Blocked for ks3-4");
    accessible();
    browser.open("/why-blocked?url=http://www.bet365.com/&group=ks2");
    assertThat(browser.heading()).isEqualTo("You cannot open this page");
    assertThat(browser.text("main")).contains("only for the groups you teach (ks3-4)");
  }

  @Test
  void theDslMovesItsSecondFactorToANewAppAndGetsNewRecoveryCodes() throws Exception {
    browser.open("/account");
    browser.signIn("ms.dsl", "safeguarding first always");
    assertThat(browser.path()).isEqualTo("/sign-in/enrol");
    String secret = browser.text("#secret").replace(" ", "");
    browser.type("#code", SecondFactor.currentCode(secret, clock.instant())).click("#enrol");
    browser.click("#continue");
    assertThat(browser.path()).isEqualTo("/account");
    assertThat(browser.text("#my-second-factor")).contains("10 unused recovery code");
    accessible();

    browser.click("#move-second-factor");
    assertThat(browser.heading()).isEqualTo("Move to a new authenticator app");
    accessible();
    String newSecret = browser.text("#new-secret").replace(" ", "");
    assertThat(newSecret).isNotEqualTo(secret);
    clock.advance(Duration.ofMinutes(1));
    browser.type("#sf-password", "safeguarding first always")
        .type("#new-code", SecondFactor.currentCode(secret, clock.instant())).click("#replace-second-factor");
    assertThat(browser.text("#second-factor-error")).as("a code from the old app proves nothing")
        .contains("does not match the new key");
    accessible();
    browser.type("#sf-password", "safeguarding first always")
        .type("#new-code", SecondFactor.currentCode(newSecret, clock.instant())).click("#replace-second-factor");
    assertThat(browser.path()).isEqualTo("/account");
    assertThat(browser.text("#flash-message")).contains("new authenticator app");

    browser.type("#recovery-password", "safeguarding first always").click("#new-recovery-codes");
    assertThat(browser.heading()).isEqualTo("Your recovery codes");
    assertThat(browser.all("#recovery-codes li")).hasSize(10);
    accessible();
    browser.click("#continue");
    assertThat(browser.path()).isEqualTo("/account");

    // the next sign-in asks for the new app's code
    browser.signOut().open("/");
    clock.advance(Duration.ofMinutes(1));
    browser.signIn("ms.dsl", "safeguarding first always");
    browser.type("#code", SecondFactor.currentCode(secret, clock.instant())).click("button[type=submit]");
    assertThat(browser.path()).as("the old app's code").isEqualTo("/sign-in/code");
    browser.type("#code", SecondFactor.currentCode(newSecret, clock.instant())).click("button[type=submit]");
    assertThat(browser.path()).isEqualTo("/");
  }

  private void accessible() {
    assertThat(browser.seriousAccessibilityProblems()).as("axe-core on " + browser.path()).isEmpty();
  }
}
