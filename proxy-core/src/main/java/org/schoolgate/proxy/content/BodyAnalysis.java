package org.schoolgate.proxy.content;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;
import org.schoolgate.policy.content.ContentAction;
import org.schoolgate.policy.content.ContentRules;
import org.schoolgate.policy.content.ContentScan;
import org.schoolgate.policy.content.ContentVerdict;
import org.schoolgate.policy.content.TextFormat;

/**
 * The analysis of one body (a response, or a prompt sent to an AI chat tool) as it streams:
 * {@link Decompression} → {@link TextDecoder} → the group's {@link ContentScan}. The caller
 * keeps forwarding the bytes; this reads duplicates and never changes what is forwarded.
 *
 * <p>A failure (a coding that cannot be read, corrupt compressed data, a decompression bomb, a
 * bug) is caught and kept: {@link #failed()} turns true, {@link #failure()} says why, and later
 * pieces are ignored. Anything thrown counts, an {@link Error} too (a {@code StackOverflowError}
 * on a pathological body, an {@code OutOfMemoryError}): it ends this body's analysis, never the
 * thread that ran it, and {@link #takeError()} hands it once to the caller to count and log; the caller applies the group's failure rule ({@code
 * ContentRules.onFailure}: closed for {@code block}, open for monitoring). Not thread-safe: one
 * per body, on the thread that reads it; {@link #close()} releases the decoder and gives the
 * scan and the decoder's windows back to the thread's {@link AnalysisPool}, so that a response
 * analysed from start to close allocates a few small objects, not its 25 KiB of state.
 */
public final class BodyAnalysis {
  private final ContentRules rules;
  private final TextFormat format;
  private ContentScan scan;
  private TextDecoder.Windows windows;
  private Decompression inflate;
  private TextDecoder text;
  private String failure;
  /** What was thrown that is not a reading failure (an Error, a bug), until taken to be reported. */
  private Throwable error;
  private boolean ended;
  /** Once closed (the scan given back): what it had found. */
  private ContentAction closedAction = ContentAction.OFF;
  private ContentVerdict closedVerdict = ContentVerdict.Clean.INSTANCE;
  private long closedChars;
  /** The verdict once the body ended (it cannot change then), built at most once. */
  private ContentVerdict endVerdict;

  private BodyAnalysis(ContentRules rules, TextFormat format, String contentEncoding, String contentType,
      int excerptChars, CodedPeek peeked) {
    this.rules = rules;
    this.format = format;
    AnalysisPool pool = AnalysisPool.here();
    this.scan = pool.takeScan(rules, format);
    try {
      Decompression d = peeked == null ? null : peeked.handOn();
      this.inflate = d != null ? d : Decompression.of(contentEncoding);
      this.windows = pool.takeWindows();
      this.text = new TextDecoder(scan, windows, contentType, format == TextFormat.HTML, excerptChars);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * Starts analysing a body of {@code format} for {@code rules}' group.
   *
   * @param contentEncoding the {@code Content-Encoding} header, or null
   * @param contentType the {@code Content-Type} header (its charset), or null
   * @param excerptChars how many of the first characters to keep for an alert's excerpt (0: none)
   */
  public static BodyAnalysis start(ContentRules rules, TextFormat format, String contentEncoding,
      String contentType, int excerptChars) {
    return new BodyAnalysis(rules, format, contentEncoding, contentType, excerptChars, null);
  }

  /**
   * Starts analysing a body whose first bytes {@code peeked} decoded (a download check): its
   * decoder goes on here — it gives what it decoded first, then skips the coded bytes it read
   * as the body is fed from its first piece — so no coded byte is decoded twice. When the peek
   * cannot hand its decoder on (it failed, or decoded more than it keeps) the body is decoded
   * here from the start, as by {@link #start(ContentRules, TextFormat, String, String, int)}.
   * The caller still closes {@code peeked}.
   */
  public static BodyAnalysis start(ContentRules rules, TextFormat format, String contentEncoding,
      String contentType, int excerptChars, CodedPeek peeked) {
    return new BodyAnalysis(rules, format, contentEncoding, contentType, excerptChars, peeked);
  }

  /**
   * Loads what analysis needs from disk — Brotli's native library, the charsets — so that no
   * event loop does (call once at start). Returns whether Brotli bodies can be read; when not,
   * a Brotli body is an analysis failure (logged once here).
   */
  public static boolean warmUp() {
    boolean charsets = !TextDecoder.KNOWN.isEmpty();
    boolean brotli = io.netty.handler.codec.compression.Brotli.isAvailable();
    if (!brotli) {
      org.slf4j.LoggerFactory.getLogger(BodyAnalysis.class).warn("Brotli cannot be read on this machine ({}):"
          + " Brotli-coded pages fail content analysis (blocked for groups with block rules)",
          String.valueOf(io.netty.handler.codec.compression.Brotli.cause()));
    }
    return brotli && charsets;
  }

  /** Reads {@code body} (not consumed). */
  public void feed(ByteBuf body) {
    if (failure != null || ended || !body.isReadable()) {
      return;
    }
    try {
      Consumer<ByteBuf> f = faultForTests;
      if (f != null) {
        f.accept(body);
      }
      inflate.feed(body, text);
    } catch (RuntimeException e) {
      fail(e);
    } catch (Error e) {
      crashed(e);
    }
  }

  /** The body ended. */
  public void end() {
    if (failure != null || ended) {
      return;
    }
    ended = true;
    try {
      inflate.end(text);
      text.end();
    } catch (RuntimeException e) {
      fail(e);
    } catch (Error e) {
      crashed(e);
    }
  }

  /** The strongest action reached so far ({@link ContentAction#OFF} once failed). Allocates nothing. */
  public ContentAction action() {
    return failure != null ? ContentAction.OFF : scan == null ? closedAction : scan.action();
  }

  /** The verdict of what was read so far (allocates nothing when it is clean). */
  public ContentVerdict verdict() {
    if (failure != null) {
      return ContentVerdict.Clean.INSTANCE;
    }
    if (scan == null) {
      return closedVerdict;
    }
    if (!ended) {
      return scan.verdict();
    }
    if (endVerdict == null) {
      endVerdict = scan.verdict();
    }
    return endVerdict;
  }

  public boolean failed() {
    return failure != null;
  }

  /** Why the analysis failed, or null. */
  public String failure() {
    return failure;
  }

  /** Characters analysed so far. */
  public long chars() {
    return scan == null ? closedChars : scan.chars();
  }

  /** The format the body is read as. */
  public TextFormat format() {
    return format;
  }

  /** The start of the body as people read it (markup and JSON syntax left out), for an alert. */
  public String excerpt(int max) {
    return text == null ? "" : Excerpts.readable(text.excerpt(), format, max);
  }

  /**
   * Marks the analysis failed for a reason outside it (the analysis executor refused it): later
   * pieces are ignored and the caller applies the group's failure rule.
   */
  public void fail(String why) {
    if (failure == null) {
      failure = why;
    }
    close();
  }

  /**
   * Releases the decoder and gives the scan and the windows back to this thread's {@link
   * AnalysisPool} (what the scan found stays readable); idempotent. Call on the thread that
   * started the analysis or on one that owns it now; no other thread may be feeding it.
   */
  public void close() {
    if (inflate != null) {
      inflate.close();
      inflate = null;
    }
    ended = true;
    if (scan != null) {
      AnalysisPool pool = AnalysisPool.here();
      closedChars = scan.chars();
      closedAction = scan.action();
      closedVerdict = closedAction == ContentAction.OFF ? ContentVerdict.Clean.INSTANCE
          : endVerdict != null ? endVerdict : scan.verdict();
      ContentScan s = scan;
      scan = null;
      pool.giveScan(rules, format, s);
      if (windows != null) {
        pool.giveWindows(windows);
        windows = null;
      }
    }
  }

  /**
   * Something other than a reading failure was thrown while analysing (an {@link Error}, or — by
   * the lane — anything that escaped): the analysis fails with it, and {@link #takeError()} gives
   * it to the caller once. Only sets state, so it may run on the thread feeding the analysis.
   */
  void crashed(Throwable e) {
    if (failure == null) {
      failure = "analysis error: " + e.getClass().getSimpleName();
      error = e;
    }
    ended = true;
  }

  /**
   * What was thrown that is not a reading failure, once (null afterwards, and when nothing was):
   * the caller counts and logs it. Allocates nothing.
   */
  public Throwable takeError() {
    Throwable e = error;
    error = null;
    return e;
  }

  /**
   * For tests only: runs before each piece is analysed (e.g. throws a {@code StackOverflowError}
   * for a marked page); null in the product. Set before the proxy starts.
   */
  static Consumer<ByteBuf> faultForTests;

  private void fail(RuntimeException e) {
    failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (inflate != null) {
      inflate.close();
      inflate = null;
    }
  }
}
