package org.schoolgate.deploy;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import org.schoolgate.admin.secondfactor.SecondFactor;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.Role;

/** Accounts and API tokens for tests that drive a running Schoolgate's admin API. */
final class TestAccounts {
  private TestAccounts() {}

  /** Creates a technician in {@code running}'s database and returns an API token for scripts. */
  static String technicianToken(Schoolgate running) {
    Actor setup = new Actor(null, "test-setup", null);
    Account tech = running.store().accounts().create("cron.lists", "List updates (cron)",
        "a long enough test password".toCharArray(), EnumSet.of(Role.TECHNICIAN), setup);
    return running.store().sessions().createApiToken(tech.id(), "lists update",
        Instant.now().plus(1, ChronoUnit.DAYS), setup).token();
  }

  /** The TOTP secret {@link #enrolSecondFactor} gives an account. */
  static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  /**
   * Enrols {@code username}'s second factor (admin, dsl and senior-leader accounts need one to sign
   * in) with {@link #SECRET} at {@code clock}'s time, as the console's enrolment would; returns its
   * recovery codes, each good for one sign-in.
   */
  static List<String> enrolSecondFactor(Schoolgate running, String username, Clock clock) {
    Account account = running.store().accounts().byUsername(username).orElseThrow();
    return new SecondFactor(running.store().secondFactors(), clock, "Schoolgate").enrol(account, SECRET,
        SecondFactor.currentCode(SECRET, clock.instant()), new Actor(null, "test-setup", null)).orElseThrow();
  }
}
