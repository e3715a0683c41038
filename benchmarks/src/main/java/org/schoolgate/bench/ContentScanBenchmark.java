package org.schoolgate.bench;

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
import org.schoolgate.policy.content.ContentScan;
import org.schoolgate.policy.content.ContentTheme;
import org.schoolgate.policy.content.StarterPhrases;
import org.schoolgate.policy.content.TextFormat;

/**
 * The content scanner over one generated 256 KiB HTML page with every starter phrase list
 * (9 themes × 5 languages) compiled, fed in 16 KiB chunks as a proxy would, one page per
 * operation (the scan is {@code reset()} and reused, as a proxy reuses it per connection).
 * MB/s = 262,144 / (ns/op) × 1,000.
 *
 * <p>{@code decodeUtf8} is a yardstick measured beside it: the JDK's UTF-8 decoder turning the
 * same page's bytes into chars (into a reused buffer), which the proxy must do before scanning
 * anyway. On a shared, loaded machine absolute figures drift; the ratio between the two holds.
 *
 * <p>{@code page}: {@code en} is English prose in typical markup (paragraphs, links with
 * attributes, inline tags, entities, an inline script and style, comments), with a few
 * phrase-list words among it so matches are exercised; {@code mixed} adds Polish, Romanian,
 * Urdu and Arabic paragraphs (about a third of the text).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ContentScanBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ContentScanBenchmark {
  /** The page's size in characters (ASCII markup: bytes). */
  public static final int PAGE = 256 * 1024;
  private static final int CHUNK = 16 * 1024;

  private static final String[] EN = ("the a of and to in is that for it as was with on be by at this are from or have an"
      + " school pupils teacher lesson history science maths reading homework weekend club football music art report"
      + " parents website learning children class year group project library computer online safety support help"
      + " because people would could should about which their there after before during between through under"
      + " suicide drugs knife porn hate vaccine secret photo delete help samaritans").split(" ");
  private static final String[] OTHER = ("szkoła lekcja uczniowie nauczyciel historia pomoc rodzice zdjęcie żyć"
      + " școala lecția elevii profesorul istorie ajutor părinții sinucidere"
      + " اسکول سبق طلبہ استاد تاریخ مدد والدین خودکشی"
      + " المدرسة الدرس الطلاب المعلم التاريخ مساعدة الوالدين الانتحار").split(" ");

  @Param({"en", "mixed"})
  public String page;

  private char[] html;
  private ContentScan scan;
  private java.nio.ByteBuffer bytes;
  private java.nio.CharBuffer chars;
  private java.nio.charset.CharsetDecoder decoder;

  @Setup
  public void setUp() {
    html = generate(page.equals("mixed"), new SplittableRandom(16));
    Map<ContentTheme, ContentAction> actions = new EnumMap<>(ContentTheme.class);
    for (ContentTheme t : ContentTheme.values()) {
      actions.put(t, ContentAction.ALERT);
    }
    actions.put(ContentTheme.SELF_HARM, ContentAction.BLOCK);
    actions.put(ContentTheme.PORNOGRAPHY, ContentAction.BLOCK);
    ContentRules rules = new ContentRules(new GroupId("ks3-4"), StarterPhrases.compiled(), actions, Map.of(), 5,
        Long.MAX_VALUE);
    scan = rules.newScan(TextFormat.HTML);
    bytes = java.nio.ByteBuffer.wrap(new String(html).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    chars = java.nio.CharBuffer.allocate(html.length);
    decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
  }

  @Benchmark
  public int decodeUtf8() {
    bytes.rewind();
    chars.clear();
    decoder.reset();
    decoder.decode(bytes, chars, true);
    return chars.position();
  }

  @Benchmark
  public int scanPage() {
    scan.reset();
    for (int off = 0; off < html.length; off += CHUNK) {
      scan.feed(html, off, Math.min(CHUNK, html.length - off));
    }
    scan.end();
    return scan.action().ordinal() + scan.score(ContentTheme.SELF_HARM);
  }

  /**
   * The page's UTF-8 bytes, fed in 16 KiB chunks to {@link ContentScan#feedUtf8} (the proxy's
   * path for UTF-8 bodies since round 8): compare with {@code decodeUtf8} plus {@code scanPage}.
   */
  @Benchmark
  public int scanUtf8Page() {
    scan.reset();
    byte[] b = bytes.array();
    for (int off = 0; off < b.length; off += CHUNK) {
      scan.feedUtf8(b, off, Math.min(CHUNK, b.length - off));
    }
    scan.end();
    return scan.action().ordinal() + scan.score(ContentTheme.SELF_HARM);
  }

  static char[] generate(boolean mixed, SplittableRandom random) {
    StringBuilder b = new StringBuilder(PAGE + 4096);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>School news</title>"
        + "<style>body{font-family:sans-serif}.nav a{color:#036}</style>"
        + "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>"
        + "</head><body><nav class=\"nav\"><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\n");
    while (b.length() < PAGE - 600) {
      int kind = random.nextInt(10);
      if (kind == 0) {
        b.append("<!-- section ").append(random.nextInt(1000)).append(" -->\n");
      } else if (kind == 1) {
        b.append("<div class=\"card\"><img src=\"/img/").append(random.nextInt(9999))
            .append(".jpg\" alt=\"pupils in the library\" width=\"320\" height=\"200\"><a href=\"/article?id=")
            .append(random.nextInt(99999)).append("&amp;ref=home\" title=\"Read more\">Read more</a></div>\n");
      }
      b.append(mixed && random.nextInt(3) == 0 ? "<p dir=\"auto\">" : "<p>");
      int words = 20 + random.nextInt(60);
      boolean other = mixed && random.nextInt(3) == 0;
      for (int i = 0; i < words; i++) {
        String w = other ? OTHER[random.nextInt(OTHER.length)] : EN[random.nextInt(EN.length)];
        int style = random.nextInt(40);
        if (style == 0) {
          b.append("<b>").append(w).append("</b>");
        } else if (style == 1) {
          b.append("<a href=\"https://example.org/").append(w).append("\">").append(w).append("</a>");
        } else if (style == 2) {
          b.append(w).append("&nbsp;");
        } else {
          b.append(w);
        }
        b.append(random.nextInt(12) == 0 ? ", " : " ");
      }
      b.append(".</p>\n");
    }
    b.append("<footer>&copy; 2026 Example School</footer></body></html>");
    while (b.length() < PAGE) {
      b.append(' ');
    }
    b.setLength(PAGE);
    return b.toString().toCharArray();
  }
}
