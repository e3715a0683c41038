package org.schoolgate.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link Decide5MBenchmark} in a JVM with {@code -XX:+UseTransparentHugePages}: the heap is
 * backed by 2 MiB pages where the kernel allows it ({@code /sys/kernel/mm/transparent_hugepage/enabled}
 * set to {@code madvise} or {@code always}), so a lookup in the 5M feed's 64-128 MiB table does
 * not also miss the TLB and walk the page tables. A deployment option, measured beside the default.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'Decide5M' -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseTransparentHugePages"})
public class Decide5MHugePagesBenchmark extends Decide5MBenchmark {
}
