package org.schoolgate.admin.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The console's static files, read from the class path once at start and served from memory
 * under content-hashed names ({@code /assets/console.1a2b3c4d.css}) with
 * {@code Cache-Control: public, max-age=31536000, immutable}: a new release changes the name, so
 * browsers never keep a stale file.
 *
 * <p>GOV.UK Frontend's CSS is rewritten on the way in: its {@code @font-face} rules for GDS
 * Transport are dropped and the font stack becomes the system's (the font is licensed for GOV.UK
 * services only), and the crown crest image is removed; the CSS itself is MIT licensed.
 */
public final class Assets {
  static final String GOVUK_VERSION = "5.14.0";
  static final String UPLOT_VERSION = "1.6.30";
  static final String SYSTEM_FONTS = "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif";
  private static final String CACHE = "public, max-age=31536000, immutable";

  private record Asset(String type, byte[] bytes) {}

  private final Map<String, String> urls = new HashMap<>();
  private final Map<String, Asset> byHashedName = new HashMap<>();

  private Assets() {}

  /** Loads every asset; fails at start if one is missing from the class path. */
  public static Assets load() {
    Assets a = new Assets();
    String govuk = "/META-INF/resources/webjars/govuk-frontend/" + GOVUK_VERSION + "/dist/govuk/govuk-frontend.min.css";
    a.add("govuk-frontend.css", "text/css; charset=utf-8",
        withoutCrownOrFont(new String(read(govuk), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    String uplot = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    a.add("uplot.js", "text/javascript; charset=utf-8", read(uplot + "uPlot.iife.min.js"));
    a.add("uplot.css", "text/css; charset=utf-8", read(uplot + "uPlot.min.css"));
    String own = "/org/schoolgate/admin/console/assets/";
    a.add("console.css", "text/css; charset=utf-8", read(own + "console.css"));
    a.add("console.js", "text/javascript; charset=utf-8", read(own + "console.js"));
    return a;
  }

  /** GOV.UK Frontend's CSS without GDS Transport ({@code @font-face} and font stacks) or the crown. */
  static String withoutCrownOrFont(String css) {
    return css.replaceAll("@font-face\\{font-family:GDS Transport;[^}]*}", "")
        .replace("font-family:GDS Transport,arial,sans-serif", "font-family:" + SYSTEM_FONTS)
        .replace("font-family:GDS Transport", "font-family:" + SYSTEM_FONTS)
        .replace("url(/assets/images/govuk-crest.svg)", "none");
  }

  private void add(String name, String type, byte[] bytes) {
    String hash;
    try {
      hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    int dot = name.lastIndexOf('.');
    String hashed = name.substring(0, dot) + "." + hash + name.substring(dot);
    urls.put(name, "/assets/" + hashed);
    byHashedName.put(hashed, new Asset(type, bytes));
  }

  /** The URL of {@code name}; throws for an asset that does not exist (a template typo fails loudly). */
  public String url(String name) {
    String url = urls.get(name);
    if (url == null) {
      throw new IllegalArgumentException("no console asset '" + name + "' (expected: one of " + urls.keySet() + ")");
    }
    return url;
  }

  /** {@code GET /assets/{name}}. */
  void serve(Context ctx) {
    Asset asset = byHashedName.get(ctx.pathParam("name"));
    if (asset == null) {
      ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=utf-8")
          .result("no such asset (asset names change with each release; reload the page)");
      return;
    }
    ctx.header("Cache-Control", CACHE);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(asset.type()).result(asset.bytes());
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("console asset " + resource + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console asset " + resource, e);
    }
  }
}
