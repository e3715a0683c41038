package org.schoolgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Compares builds of the content scanner side by side in one JVM: each argument after the page
 * and the number of alternations is a class path (for example a benchmarks jar built from main
 * and one from a branch, or a directory of recompiled classes followed by a jar), loaded in a
 * class loader of its own; rounds of {@link ContentScanBenchmark#scanPage} (40 pages each) take
 * turns, the order rotating every alternation, and each variant's MB per CPU-second of the
 * thread is summarised over all but the first three alternations. On a shared machine this is
 * the fair comparison: every variant sees the same load. A class path may end in
 * {@code @method+method...}: the benchmark methods run per page instead of {@code scanPage}
 * (for example {@code /tmp/old.jar@decodeUtf8+scanPage} against {@code /tmp/new.jar@scanUtf8Page}:
 * a UTF-8 page decoded then scanned, against its bytes scanned).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.ContentScanAlternating en 60 /tmp/old.jar /tmp/new.jar
 * </pre>
 */
public final class ContentScanAlternating {
  private static final int PAGES = 40;

  private ContentScanAlternating() {}

  public static void main(String[] args) throws Exception {
    String page = args[0];
    int alternations = Integer.parseInt(args[1]);
    int variants = args.length - 2;
    Object[] benches = new Object[variants];
    Method[][] scan = new Method[variants][];
    for (int v = 0; v < variants; v++) {
      String[] spec = args[v + 2].split("@");
      String[] parts = spec[0].split(":");
      URL[] urls = new URL[parts.length];
      for (int i = 0; i < parts.length; i++) {
        urls[i] = Path.of(parts[i]).toUri().toURL();
      }
      ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
      Class<?> c = loader.loadClass(ContentScanBenchmark.class.getName());
      Object b = c.getConstructor().newInstance();
      c.getField("page").set(b, page);
      c.getMethod("setUp").invoke(b);
      benches[v] = b;
      String[] methods = (spec.length > 1 ? spec[1] : "scanPage").split("\\+");
      scan[v] = new Method[methods.length];
      for (int m = 0; m < methods.length; m++) {
        scan[v][m] = c.getMethod(methods[m]);
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<List<Double>> rates = new ArrayList<>();
    for (int v = 0; v < variants; v++) {
      rates.add(new ArrayList<>());
    }
    long sink = 0;
    for (int alt = 0; alt < alternations; alt++) {
      for (int turn = 0; turn < variants; turn++) {
        int v = (turn + alt) % variants;
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < PAGES; i++) {
          for (Method m : scan[v]) {
            sink += (int) m.invoke(benches[v]);
          }
        }
        double rate = (double) ContentScanBenchmark.PAGE * PAGES / ((threads.getCurrentThreadCpuTime() - cpu0) / 1e3);
        if (alt >= 3) {
          rates.get(v).add(rate);
        }
      }
    }
    for (int v = 0; v < variants; v++) {
      List<Double> r = rates.get(v);
      Collections.sort(r);
      System.out.printf("%s: median %.1f, min %.1f, max %.1f MB per CPU-second (%d rounds)%n", args[v + 2],
          r.get(r.size() / 2), r.get(0), r.get(r.size() - 1), r.size());
    }
    System.out.println("(" + sink + ")");
  }
}
