package org.schoolgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.Decision;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.RequestFacts;
import org.schoolgate.policy.accesslog.AccessLogFiles;
import org.schoolgate.policy.compile.PolicyCompiler;
import org.schoolgate.policy.sample.SamplePolicy;

/**
 * A synthetic access log for the reports benchmarks: a school of {@code pupils} pupils (a third
 * in ks2, the rest ks3-4) and a tenth as many staff, each on their own device, browsing from 08:30
 * to 15:30 on each of {@code days} days before a fixed date. Every request is decided by the
 * shipped sample policy (so actions, rules and categories are what the proxy would log).
 *
 * <p>A person's day is a run of page loads; a page is drawn from a weighted site mix (education
 * 35 %, search 12 % with a search term, of which 3 % match a safeguarding theme, video 12 %,
 * social media 9 %, news 8 %, gaming 6 %, shopping 4 %, gambling, adult and bypass sites 1 % each,
 * and unlisted sites the rest), followed within 0-4 s by 4-24 furniture requests: assets on the
 * same site ({@code .js}, {@code .css}, {@code .png}, {@code .woff2}), CDN hosts and trackers.
 * About 9 % of the lines are pages. The seed is fixed, so a run is reproducible.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.AccessLogGenerator DIR PUPILS DAYS EVENTS_PER_PUPIL_DAY
 * </pre>
 */
public final class AccessLogGenerator {
  /** The last day written is the day before this. */
  public static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
  static final ZoneId ZONE = ZoneId.of("Europe/London");

  private static final String[][] SITES = {
    // weight, host, category hint (for search terms)
    {"35", "www.bbc.co.uk/bitesize"}, {"0", "en.wikipedia.org/wiki/"}, {"0", "www.khanacademy.org/"},
    {"12", "www.google.com/search"}, {"12", "youtube.com/watch"}, {"9", "www.tiktok.com/"},
    {"8", "www.theguardian.com/uk"}, {"6", "www.roblox.com/games"}, {"4", "www.amazon.co.uk/dp"},
    {"1", "www.bet365.com/"}, {"1", "pornhub.com/"}, {"1", "proxysite.com/"}, {"11", "unlisted"}};
  private static final String[] EDUCATION = {"www.bbc.co.uk", "en.wikipedia.org", "www.khanacademy.org",
      "www.senecalearning.com", "www.mathsisfun.com"};
  private static final String[] CDN = {"www.gstatic.com", "fonts.googleapis.com", "d1a2b3c4.cloudfront.net",
      "cdn.jsdelivr.net", "i.ytimg.com", "static.files.bbci.co.uk"};
  private static final String[] TRACKERS = {"www.google-analytics.com", "stats.g.doubleclick.net",
      "securepubads.g.doubleclick.net", "connect.facebook.net", "bat.bing.com"};
  private static final String[] ASSETS = {"app.js", "main.css", "logo.png", "hero.jpg", "font.woff2", "vendor.js"};
  private static final String[] TERMS = {"photosynthesis", "world war 2 timeline", "pythagoras theorem",
      "french verbs", "volcano facts", "macbeth summary", "times tables", "rivers of the uk"};
  private static final String[] WORRYING = {"how to kill myself", "buy a knife online", "i want to die"};

  private final PolicySnapshot policy;
  private final SplittableRandom random = new SplittableRandom(20261126L);
  private final int[] cumulative;
  private long lines;
  private long pages;

  AccessLogGenerator(PolicySnapshot policy) {
    this.policy = policy;
    cumulative = new int[SITES.length];
    int sum = 0;
    for (int i = 0; i < SITES.length; i++) {
      sum += Integer.parseInt(SITES[i][0]);
      cumulative[i] = sum;
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/reportlog");
    int pupils = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int perDay = args.length > 3 ? Integer.parseInt(args[3]) : 2600;
    long t0 = System.nanoTime();
    long n = write(dir, pupils, days, perDay);
    System.out.printf("%,d lines in %s (%d pupils, %d days) in %.1f s%n", n, dir, pupils, days,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Writes the log into {@code dir} (day files replaced); the number of lines. */
  public static long write(Path dir, int pupils, int days, int eventsPerPersonDay) throws Exception {
    Files.createDirectories(dir);
    Path policyDir = Files.createTempDirectory("schoolgate-bench-policy");
    PolicySnapshot policy = PolicyCompiler.compile(SamplePolicy.extractTo(policyDir), Clock.systemUTC());
    AccessLogGenerator g = new AccessLogGenerator(policy);
    int staff = Math.max(1, pupils / 10);
    for (int d = days; d >= 1; d--) {
      LocalDate day = TODAY.minusDays(d);
      Path file = dir.resolve(AccessLogFiles.jsonLines(day));
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int p = 0; p < pupils + staff; p++) {
          g.person(out, day, p, p >= pupils ? "staff" : p % 3 == 0 ? "ks2" : "ks3-4", eventsPerPersonDay);
        }
      }
    }
    return g.lines;
  }

  private void person(BufferedWriter out, LocalDate day, int p, String group, int events) throws IOException {
    String user = (group.equals("staff") ? "staff" : "pupil") + p;
    String client = "10." + (20 + p / 65_000) + "." + (p / 250 % 256) + "." + (p % 250 + 2);
    GroupId gid = new GroupId(group);
    long start = day.atTime(8, 30).atZone(ZONE).toInstant().toEpochMilli();
    long span = 7 * 3_600_000L;
    long step = span / Math.max(1, events / 10);
    long t = start + random.nextLong(step);
    int written = 0;
    StringBuilder b = new StringBuilder(512);
    while (written < events) {
      int pick = random.nextInt(cumulative[cumulative.length - 1]);
      int site = 0;
      while (cumulative[site] <= pick) {
        site++;
      }
      String spec = SITES[site][1];
      String host;
      String path;
      String query = null;
      String search = null;
      if (site == 0) {
        host = EDUCATION[random.nextInt(EDUCATION.length)];
        path = "/topic/" + random.nextInt(500);
      } else if (spec.equals("unlisted")) {
        host = "site" + random.nextInt(20_000) + ".example.com";
        path = "/";
      } else {
        host = spec.substring(0, spec.indexOf('/'));
        path = spec.substring(spec.indexOf('/')) + random.nextInt(1000);
        if (host.equals("www.google.com")) {
          path = "/search";
          search = random.nextInt(100) < 3 ? WORRYING[random.nextInt(WORRYING.length)]
              : TERMS[random.nextInt(TERMS.length)];
          query = "q=" + search.replace(' ', '+');
        }
      }
      line(b, out, t, client, user, gid, host, path, query, search);
      pages++;
      written++;
      int furniture = 4 + random.nextInt(21);
      long ft = t;
      for (int f = 0; f < furniture && written < events; f++) {
        ft += random.nextInt(400);
        int kind = random.nextInt(10);
        String fh = kind < 5 ? host : kind < 8 ? CDN[random.nextInt(CDN.length)] : TRACKERS[random.nextInt(TRACKERS.length)];
        String fp = kind >= 8 ? "/collect" : "/assets/" + ASSETS[random.nextInt(ASSETS.length)];
        line(b, out, ft, client, user, gid, fh, fp, null, null);
        written++;
      }
      t += step / 2 + random.nextLong(step);
    }
  }

  private void line(StringBuilder b, BufferedWriter out, long epochMs, String client, String user, GroupId group,
      String host, String path, String query, String search) throws IOException {
    Instant at = Instant.ofEpochMilli(epochMs);
    Decision d = policy.decide(new RequestFacts(group, user, host, query == null ? path : path + "?" + query, at));
    b.setLength(0);
    b.append("{\"time\":\"").append(at).append("\",\"client\":\"").append(client).append("\",\"user\":\"")
        .append(user).append("\",\"group\":\"").append(group.value()).append("\",\"method\":\"GET\",")
        .append("\"scheme\":\"https\",\"host\":\"").append(host).append("\",\"path\":\"").append(path)
        .append("\",\"query\":");
    if (query == null) {
      b.append("null");
    } else {
      b.append('"').append(query).append('"');
    }
    b.append(",\"categories\":[");
    boolean first = true;
    for (CategoryId c : d.categories().categories()) {
      b.append(first ? "" : ",").append('"').append(c.value()).append('"');
      first = false;
    }
    b.append("],\"action\":\"").append(d.blocked() ? "block" : "allow").append("\",\"level\":\"")
        .append(d.level().configName()).append("\",\"rule\":\"").append(d.ruleText()).append("\",\"unblock\":null,");
    if (search != null) {
      b.append("\"search\":\"").append(search).append("\",");
    }
    b.append("\"status\":").append(d.blocked() ? 403 : 200).append(",\"bytesIn\":").append(300 + (epochMs & 511))
        .append(",\"bytesOut\":").append(2000 + (epochMs & 65535)).append(",\"durationMs\":")
        .append(5 + (epochMs & 127)).append("}\n");
    out.append(b);
    lines++;
  }
}
