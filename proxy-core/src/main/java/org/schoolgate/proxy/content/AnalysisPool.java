package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.LongAdder;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentScan;
import org.schoolgate.policy.content.TextFormat;

/**
 * What one body's analysis needs that is the same from body to body, kept per thread (event
 * loop, analysis thread) so that an analysed response allocates almost nothing: the decoder's
 * windows ({@link TextDecoder.Windows}, 8 KiB of bytes and 8 KiB of characters), the 8 KiB buffers
 * in which a download peek keeps what it decoded for the analysis ({@link Decompression#record})
 * and the groups' {@link ContentScan}s (a phrase counter per phrase, the extractor's and folder's fields).
 *
 * <p>A {@link BodyAnalysis} takes its pieces from the pool of the thread that starts it and gives
 * them back in {@link BodyAnalysis#close()} to the pool of the thread that closes it (the proxy
 * starts and closes on the connection's loop; a body fed on an analysis thread meanwhile is
 * handed over and back through the lane's queues). Each pool keeps at most {@link #MAX_WINDOWS}
 * windows and {@link #MAX_SCANS} scans (the least recently given back go first: a reloaded
 * policy's old scans leave as the new ones come), so a pool never grows with traffic; a
 * piece taken and never given back is only garbage, counted in {@link #outstanding()}.
 *
 * <p>Confined to its thread; the two counters are shared (a few uncontended adds per response).
 */
final class AnalysisPool {
  static final int MAX_WINDOWS = 4;
  static final int MAX_SCANS = 8;
  static final int MAX_PREFIXES = 4;

  private static final FastThreadLocal<AnalysisPool> POOLS = new FastThreadLocal<>() {
    @Override
    protected AnalysisPool initialValue() {
      return new AnalysisPool();
    }
  };
  private static final LongAdder OUTSTANDING = new LongAdder();
  private static final LongAdder CREATED = new LongAdder();

  private final ByteBuf[] prefixes = new ByteBuf[MAX_PREFIXES];
  private int prefixCount;
  private final TextDecoder.Windows[] windows = new TextDecoder.Windows[MAX_WINDOWS];
  private int windowCount;
  private final ContentScan[] scans = new ContentScan[MAX_SCANS];
  private final ContentRules[] scanRules = new ContentRules[MAX_SCANS];
  private final TextFormat[] scanFormats = new TextFormat[MAX_SCANS];
  private int scanCount;

  private AnalysisPool() {}

  /** This thread's pool. */
  static AnalysisPool here() {
    return POOLS.get();
  }

  /** Windows for one body's decoder (cleared). */
  TextDecoder.Windows takeWindows() {
    OUTSTANDING.increment();
    if (windowCount == 0) {
      CREATED.increment();
      return new TextDecoder.Windows();
    }
    TextDecoder.Windows w = windows[--windowCount];
    windows[windowCount] = null;
    return w;
  }

  void giveWindows(TextDecoder.Windows w) {
    OUTSTANDING.decrement();
    if (windowCount < MAX_WINDOWS) {
      windows[windowCount++] = w;
    }
  }

  /**
   * An empty {@link Decompression#PREFIX}-byte buffer for what a download peek decoded (a heap
   * array: no native memory, nothing to release if it is never given back).
   */
  ByteBuf takePrefix() {
    OUTSTANDING.increment();
    if (prefixCount == 0) {
      CREATED.increment();
      return Unpooled.wrappedBuffer(new byte[Decompression.PREFIX]).clear(); // no leak tracking: a heap array
    }
    ByteBuf b = prefixes[--prefixCount];
    prefixes[prefixCount] = null;
    return b.clear();
  }

  void givePrefix(ByteBuf b) {
    OUTSTANDING.decrement();
    if (prefixCount < MAX_PREFIXES) {
      prefixes[prefixCount++] = b;
    }
  }

  /** A scan of {@code format} for {@code rules}' group, as new (reset). */
  ContentScan takeScan(ContentRules rules, TextFormat format) {
    OUTSTANDING.increment();
    for (int i = scanCount - 1; i >= 0; i--) {
      if (scanRules[i] == rules && scanFormats[i] == format) {
        ContentScan s = scans[i];
        remove(i);
        return s;
      }
    }
    CREATED.increment();
    return rules.newScan(format);
  }

  /** Gives back a scan taken with {@link #takeScan} for the same rules and format. */
  void giveScan(ContentRules rules, TextFormat format, ContentScan scan) {
    OUTSTANDING.decrement();
    scan.reset();
    if (scanCount == MAX_SCANS) {
      remove(0); // the least recently given back
    }
    scans[scanCount] = scan;
    scanRules[scanCount] = rules;
    scanFormats[scanCount] = format;
    scanCount++;
  }

  private void remove(int i) {
    int tail = scanCount - i - 1;
    System.arraycopy(scans, i + 1, scans, i, tail);
    System.arraycopy(scanRules, i + 1, scanRules, i, tail);
    System.arraycopy(scanFormats, i + 1, scanFormats, i, tail);
    scanCount--;
    scans[scanCount] = null;
    scanRules[scanCount] = null;
    scanFormats[scanCount] = null;
  }

  /** Windows this thread's pool holds now (for tests). */
  int windowsPooled() {
    return windowCount;
  }

  /** Scans this thread's pool holds now (for tests). */
  int scansPooled() {
    return scanCount;
  }

  /** Windows and scans taken and not given back, over all threads (0 when no body is being analysed). */
  static long outstanding() {
    return OUTSTANDING.sum();
  }

  /** Windows and scans ever created because a pool had none to give (flat once traffic is steady). */
  static long created() {
    return CREATED.sum();
  }
}
