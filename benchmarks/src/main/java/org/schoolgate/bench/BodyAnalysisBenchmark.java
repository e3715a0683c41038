package org.schoolgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;
import org.schoolgate.policy.download.FileTypes;
import org.schoolgate.proxy.content.BodyAnalysis;
import org.schoolgate.proxy.content.CodedPeek;

/**
 * One whole response analysed as the proxy's content gate does it, per operation: the format
 * from the {@code Content-Type}, {@link BodyAnalysis#start}, the body's bytes (UTF-8 HTML, no
 * content coding, or gzip: {@code coding}) fed in 16 KiB {@link ByteBuf} pieces, {@code end}, the action and the verdict,
 * {@code close}; {@code peekThenAnalyse} first peeks at the coded body's first bytes as the
 * download check does for a group whose blocked download kinds are told by bytes ({@link
 * CodedPeek}, a text page: one byte tells), then analyses it with the peek's decoder. Its {@code gc.alloc.rate.norm} ({@code -prof gc}) is what one analysed response
 * allocates (the decoder's windows, the scan's state, the charset look-up); its time includes the
 * UTF-8 decoding that {@link ContentScanBenchmark} leaves out. Same page generator and lists as
 * there; {@code kib} is the page's size.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BodyAnalysisBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BodyAnalysisBenchmark {
  private static final int PIECE = 16 * 1024;

  @Param({"en", "mixed"})
  public String page;

  @Param({"16", "256"})
  public int kib;

  /** {@code Content-Type} with the charset (the usual case) or without (the {@code <meta>} is looked for). */
  @Param({"text/html; charset=utf-8", "text/html"})
  public String type;

  /** The body's {@code Content-Encoding}: none, gzip or Brotli (pieces of the compressed page). */
  @Param({"identity", "gzip", "br"})
  public String coding;

  private ContentRules rules;
  private ByteBuf[] pieces;

  @Setup
  public void setUp() {
    char[] html = ContentScanBenchmark.generate(page.equals("mixed"), new SplittableRandom(16));
    byte[] all = new String(html).getBytes(StandardCharsets.UTF_8);
    int size = Math.min(all.length, kib * 1024);
    if (coding.equals("gzip")) {
      all = gzip(all, size);
      size = all.length;
    } else if (coding.equals("br")) {
      all = brotli(all, size);
      size = all.length;
    }
    pieces = new ByteBuf[(size + PIECE - 1) / PIECE];
    for (int i = 0; i < pieces.length; i++) {
      int off = i * PIECE;
      pieces[i] = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(all, off, Math.min(PIECE, size - off)));
    }
    Map<ContentTheme, ContentAction> actions = new EnumMap<>(ContentTheme.class);
    for (ContentTheme t : ContentTheme.values()) {
      actions.put(t, ContentAction.ALERT);
    }
    actions.put(ContentTheme.SELF_HARM, ContentAction.BLOCK);
    actions.put(ContentTheme.PORNOGRAPHY, ContentAction.BLOCK);
    rules = new ContentRules(new GroupId("ks3-4"), StarterPhrases.compiled(), actions, Map.of(), 5, Long.MAX_VALUE);
  }

  private static byte[] gzip(byte[] page, int size) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(page, 0, size);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] brotli(byte[] page, int size) {
    com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
    try {
      return com.aayushatharva.brotli4j.encoder.Encoder.compress(java.util.Arrays.copyOf(page, size));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Benchmark
  public int analyseResponse() {
    TextFormat format = TextFormat.of(type).orElseThrow();
    BodyAnalysis a = BodyAnalysis.start(rules, format, coding, type, 0);
    for (ByteBuf p : pieces) {
      a.feed(p);
    }
    a.end();
    int r = a.action().ordinal() + (a.verdict() instanceof org.schoolgate.policy.content.ContentVerdict.Clean ? 0 : 1);
    a.close();
    return r;
  }

  private final byte[] peek = new byte[FileTypes.PEEK];

  @Benchmark
  public int peekThenAnalyse() {
    TextFormat format = TextFormat.of(type).orElseThrow();
    CodedPeek p = CodedPeek.of(coding, FileTypes.PEEK);
    int len = p.feed(pieces[0], peek, 0, FileTypes::bytesNeeded);
    BodyAnalysis a = BodyAnalysis.start(rules, format, coding, type, 0, p); // goes on with the peek's decoder
    p.close();
    for (ByteBuf piece : pieces) {
      a.feed(piece);
    }
    a.end();
    int r = len + a.action().ordinal() + (a.verdict() instanceof org.schoolgate.policy.content.ContentVerdict.Clean ? 0 : 1);
    a.close();
    return r;
  }
}
