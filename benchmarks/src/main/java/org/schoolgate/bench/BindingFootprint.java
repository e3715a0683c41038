package org.schoolgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;

/**
 * Heap held by the address-binding table with {@code n} distinct bindings (default 10,000: a large
 * secondary school's devices), and the cost of a look-up. Heap is measured after full GCs before
 * and after filling; run with {@code -XX:+UseSerialGC} for steadier numbers:
 *
 * <pre>
 * java -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.BindingFootprint [n]
 * </pre>
 */
public final class BindingFootprint {
  private BindingFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Clock clock = Clock.systemUTC();
    InetAddress[] addresses = new InetAddress[n];
    String[] users = new String[n];
    for (int i = 0; i < n; i++) {
      addresses[i] = InetAddress.getByAddress(new byte[] {10, (byte) (16 + i / 65536), (byte) (i / 256), (byte) i});
      users[i] = "pupil" + i;
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = used(memory);
    BindingTable table = BindingTable.inMemory(clock, IdentityMetrics.unregistered());
    Instant until = clock.instant().plus(Duration.ofHours(8));
    for (int i = 0; i < n; i++) {
      table.bind(addresses[i], new AddressBinding(users[i], Set.of(), i % 2 == 0 ? AuthMethod.SESSION
          : AuthMethod.RADIUS, until), i % 2 == 0 ? "session:logon-script" : "radius:wlc");
    }
    long after = used(memory);
    System.out.printf("%,d bindings: %,d bytes of heap, %,d bytes per binding (addresses and user-name strings"
        + " are made before the first measurement: the table's own cost)%n", table.size(), after - before,
        (after - before) / n);
    Instant now = clock.instant();
    long found = 0;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < 10_000_000; k++) {
        found += table.find(addresses[k % n], now) != null ? 1 : 0;
      }
      System.out.printf("find: %.1f ns per look-up%n", (System.nanoTime() - t0) / 1e7);
    }
    System.out.println(found > 0 ? "" : "nothing found?");
  }

  private static long used(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
