package org.schoolgate.proxy.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Pages of the frozen content corpus (policy-engine's test resources) and their codings, for proxy tests. */
final class Corpus {
  private Corpus() {}

  static byte[] bytes(String path) {
    try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream("content-corpus/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no corpus page content-corpus/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] brotli(byte[] plain) {
    try {
      com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
      return com.aayushatharva.brotli4j.encoder.Encoder.compress(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} bytes of a benign text about school sport, in whole sentences. */
  static String benign(int n) {
    String sentence = "The under twelve football team trained on the school field after lessons and the coach"
        + " praised their passing and teamwork before the match on Saturday morning. ";
    StringBuilder b = new StringBuilder(n + sentence.length());
    while (b.length() < n) {
      b.append(sentence);
    }
    return b.toString();
  }
}
