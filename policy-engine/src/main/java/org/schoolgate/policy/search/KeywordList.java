package org.schoolgate.policy.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A theme's keyword list file: UTF-8, one word or phrase per line, {@code #} starts a comment
 * line, blank lines are skipped. A line starting with {@code !} is an exception: a phrase
 * around a match that cancels it ({@code !suicide squad}).
 */
public final class KeywordList {
  private KeywordList() {}

  /** The entries of the starter list shipped for {@code theme}. */
  public static List<String> starter(Theme theme) {
    try (InputStream in = KeywordList.class.getResourceAsStream(theme.resource())) {
      if (in == null) {
        throw new IllegalStateException("starter keyword list " + theme.resource() + " is missing from the jar");
      }
      return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of {@code file}; throws when it cannot be read or is not UTF-8. */
  public static List<String> read(Path file) throws IOException {
    try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
      return read(r);
    }
  }

  private static List<String> read(Reader reader) throws IOException {
    List<String> out = new ArrayList<>();
    BufferedReader r = new BufferedReader(reader);
    String line;
    while ((line = r.readLine()) != null) {
      String t = line.strip();
      if (t.startsWith("\ufeff")) {
        t = t.substring(1).strip();
      }
      if (!t.isEmpty() && !t.startsWith("#")) {
        out.add(t);
      }
    }
    return out;
  }
}
