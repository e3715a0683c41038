package org.schoolgate.store.jdbc;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.schoolgate.policy.UnblockScope;
import org.schoolgate.policy.UnblockTarget;
import org.schoolgate.store.Actor;
import org.schoolgate.store.NewUnblock;
import org.schoolgate.store.DatabaseConfig;
import org.schoolgate.store.UnblockRecord;
import org.schoolgate.store.UnblockStore;

/**
 * The child process of {@link CrashTest}: requests and approves unblocks (every seventh a filter
 * bypass, whose approval raises an alert) on a SQLite file from two threads as fast as it can, printing {@code approved <id>} after each approval commits, until it
 * is killed.
 */
public final class CrashBurst {
  private CrashBurst() {}

  public static void main(String[] args) throws Exception {
    JdbcStore store = JdbcStore.open(DatabaseConfig.sqlite(Path.of(args[0])), Clock.systemUTC(),
        TestDatabase.FAST_HASHER);
    System.out.println("ready");
    System.out.flush();
    Runnable burst = () -> {
      UnblockStore unblocks = store.unblocks();
      for (int i = 0; ; i++) {
        Instant now = Instant.now();
        NewUnblock request = i % 7 == 3
            ? new NewUnblock(new UnblockTarget.Everything(), new UnblockScope(Set.of(), Set.of("exam.pc" + i),
                List.of()), now, now.plus(Duration.ofHours(1)), "exam software update " + i, false, "")
            : Unblocks.domain("site" + Thread.currentThread().getName() + "-" + i + ".com", now, Duration.ofHours(1));
        UnblockRecord r = unblocks.request(request, Unblocks.TEACHER);
        if (i % 5 == 4) {
          unblocks.deny(r.id(), Unblocks.TECHNICIAN, "no");
          continue;
        }
        unblocks.approve(r.id(), Unblocks.TECHNICIAN, "burst " + i);
        synchronized (System.out) {
          System.out.println("approved " + r.id());
          System.out.flush();
        }
        store.audit().append(new org.schoolgate.store.AuditEntry("history.viewed",
            new Actor(null, "dsl.dee", null), "pupil:" + i, "", null, null));
      }
    };
    Thread a = new Thread(burst, "a");
    Thread b = new Thread(burst, "b");
    a.start();
    b.start();
    a.join();
    b.join();
  }
}
