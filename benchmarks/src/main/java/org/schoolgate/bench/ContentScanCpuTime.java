package org.schoolgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The content scanner's throughput per core measured in this thread's CPU time instead of wall
 * time: on a shared machine where the process is descheduled most of the time (JMH's error bars
 * then exceed its scores) CPU time still says what one core does. Same page and lists as
 * {@link ContentScanBenchmark}; 20 rounds of 50 pages, the last ones after the JIT settled.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ContentScanCpuTime en
 * </pre>
 */
public final class ContentScanCpuTime {
  private ContentScanCpuTime() {}

  public static void main(String[] args) {
    ContentScanBenchmark b = new ContentScanBenchmark();
    b.page = args.length > 0 ? args[0] : "en";
    b.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 1; round <= 20; round++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        sink += b.scanPage();
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      System.out.printf("round %2d: %6.1f MB/s per CPU second, %6.1f MB/s wall%n", round,
          ContentScanBenchmark.PAGE * 50 / (cpu / 1e3), ContentScanBenchmark.PAGE * 50 / (wall / 1e3));
    }
    System.out.println("(" + sink + ")");
  }
}
