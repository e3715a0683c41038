package org.schoolgate.deploy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
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
}
