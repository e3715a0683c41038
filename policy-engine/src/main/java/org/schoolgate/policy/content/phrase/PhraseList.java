package org.schoolgate.policy.content.phrase;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phrase list file for one theme: UTF-8, one entry per line, {@code #} starts a comment line,
 * blank lines are skipped.
 * <pre>
 * # self-harm, English
 * kill myself        = 60     a phrase and its weight (what one match adds to the score)
 * suicide            = 15
 * samaritans         = -40    a context phrase: a negative weight lowers the score
 * !suicide squad              an exception: a match of this theme inside it does not count
 * </pre>
 * Phrases are folded like the page (case, accents, leet, repeated letters, Arabic-script
 * variants) and match whole words; several words match across any spaces, punctuation or
 * markup between them, and also written as one word ({@code killmyself}).
 */
public final class PhraseList {
  private static final Pattern LINE = Pattern.compile("(.+?)\\s*=\\s*([+-]?\\d{1,4})");

  private PhraseList() {}

  /** A wrong line: where, and what is wrong with it and how to fix it. */
  public record Problem(String source, int line, String message) {
    @Override
    public String toString() {
      return source + ":" + line + ": " + message;
    }
  }

  /** The result of reading one list: its entries, and the lines that were wrong. */
  public record Result(List<PhraseEntry> entries, List<Problem> errors) {
    public Result {
      entries = List.copyOf(entries);
      errors = List.copyOf(errors);
    }
  }

  /** Reads {@code file}; errors name {@code file:line}. */
  public static Result read(Path file) throws IOException {
    try (Reader r = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
      return read(r, file.toString());
    }
  }

  /** Reads the resource {@code name} beside this class's package root ({@code lists/...}). */
  public static Result resource(String name) {
    try (InputStream in = PhraseList.class.getResourceAsStream("/org/schoolgate/policy/content/lists/" + name)) {
      if (in == null) {
        throw new IllegalStateException("starter phrase list " + name + " is missing from the jar");
      }
      return read(new InputStreamReader(in, StandardCharsets.UTF_8), "starter:" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads entries from {@code reader}; {@code source} names it in errors. */
  public static Result read(Reader reader, String source) throws IOException {
    List<PhraseEntry> entries = new ArrayList<>();
    List<Problem> errors = new ArrayList<>();
    BufferedReader r = new BufferedReader(reader);
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (n == 1 && t.startsWith("\ufeff")) {
        t = t.substring(1).strip();
      }
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String at = source + ":" + n;
      try {
        if (t.startsWith("!")) {
          String phrase = t.substring(1).strip();
          if (phrase.contains("=")) {
            errors.add(new Problem(source, n, "an exception has no weight: '" + t
                + "' (expected: !phrase alone, e.g. !suicide squad)"));
            continue;
          }
          entries.add(new PhraseEntry(phrase, 0, true, at));
          continue;
        }
        Matcher m = LINE.matcher(t);
        if (!m.matches()) {
          errors.add(new Problem(source, n, "'" + t + "' has no weight (expected: phrase = weight, e.g. kill myself = 60;"
              + " a negative weight for context phrases, !phrase for an exception)"));
          continue;
        }
        int weight = Integer.parseInt(m.group(2));
        if (weight == 0) {
          errors.add(new Problem(source, n, "'" + t + "' has weight 0 (expected: a positive weight, or a negative one"
              + " for a context phrase)"));
          continue;
        }
        entries.add(new PhraseEntry(m.group(1).strip(), weight, false, at));
      } catch (IllegalArgumentException e) {
        errors.add(new Problem(source, n, e.getMessage().substring(at.length() + 2)));
      }
    }
    return new Result(entries, errors);
  }
}
