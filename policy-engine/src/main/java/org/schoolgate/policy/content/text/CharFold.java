package org.schoolgate.policy.content.text;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-character half of content folding, as one table built once per JVM: for every BMP
 * character, what it becomes in a word ({@link #raw}), what it becomes in a Latin-script word
 * ({@link #latin}: leet digits and symbols read as letters, Cyrillic look-alikes as Latin) and
 * its {@link #kind}. Rules:
 * <ul>
 *   <li>Latin: lower case, accents and other marks removed by NFKD ({@code ą→a}, Romanian
 *       {@code ș ş → s}, {@code ț ţ → t}), and the letters NFKD leaves alone mapped by hand
 *       ({@code ł→l}, {@code đ→d}, {@code ø→o}, {@code ı→i}, {@code ß→s}); ligatures expand
 *       ({@code ﬁ→fi}, {@code æ→ae}).
 *   <li>Arabic script (Arabic, Urdu): harakat and other marks removed, hamza carriers and alef
 *       forms to bare alef ({@code أ إ آ ٱ → ا}), {@code ؤ→و}, yeh forms to Arabic yeh
 *       ({@code ى ی ے ئ → ي}), kaf forms to Arabic kaf ({@code ک ڪ → ك}), heh forms to Arabic heh
 *       ({@code ہ ھ ە ۃ ة → ه}: teh marbuta reads as heh), tatweel ({@code ـ}) dropped,
 *       presentation forms to their letters.
 *   <li>Every script's decimal digits become ASCII digits; format characters (zero-width
 *       joiners and spaces, bidi controls, soft hyphen) and apostrophes are dropped, so they
 *       neither split nor hide a word; anything else that is not a letter or digit breaks words.
 * </ul>
 * Allocation-free lookups; thread-safe.
 */
public final class CharFold {
  /** Not part of a word, and not a break either: skipped. */
  public static final int DROP = 0;
  /** Ends a word. */
  public static final int BREAK = 1;
  /** An ASCII letter after folding (Latin script). */
  public static final int LATIN = 2;
  /** An ASCII digit after folding. */
  public static final int DIGIT = 3;
  /** {@code @} or {@code $}: a letter in leet ({@code @→a}, {@code $→s}), nothing otherwise. */
  public static final int SYMBOL = 4;
  /** A Cyrillic letter that looks like a Latin one: Latin inside a Latin word, itself otherwise. */
  public static final int CYRILLIC_LOOKALIKE = 5;
  /** A letter of another script (Arabic, Cyrillic, Greek, ...). */
  public static final int OTHER = 6;
  /** Several letters ({@link #expansion}). */
  public static final int EXPAND = 7;

  // entry: bits 0-15 raw char, 16-22 latin override (ASCII; 0 = same as raw), 24-27 kind
  private static final int[] TABLE = new int[65536];
  private static final Map<Character, String> EXPANSIONS = new HashMap<>();

  static {
    for (int c = 0; c < 65536; c++) {
      TABLE[c] = entry((char) c);
    }
  }

  private CharFold() {}

  /** The packed table entry of {@code c}: pass it to {@link #kind}, {@link #raw}, {@link #latin}. */
  public static int entry(int c) {
    return TABLE[c];
  }

  public static int kind(int entry) {
    return (entry >>> 24) & 0xF;
  }

  public static char raw(int entry) {
    return (char) entry;
  }

  public static char latin(int entry) {
    int l = (entry >>> 16) & 0x7F;
    return l == 0 ? (char) entry : (char) l;
  }

  /** The folded letters an {@link #EXPAND} character stands for. */
  public static String expansion(char c) {
    return EXPANSIONS.getOrDefault(c, " ");
  }

  private static int entry(char c) {
    if (Character.isSurrogate(c) || c == '\uffff') {
      return pack(' ', 0, BREAK);
    }
    switch (c) {
      case '\'': case '\u2019': case '\u2018': case '\u02bc': case '\u0640': // apostrophes, tatweel
        return pack(c, 0, DROP);
      case '@':
        return pack('@', 'a', SYMBOL);
      case '$':
        return pack('$', 's', SYMBOL);
      default:
        break;
    }
    int type = Character.getType(c);
    if (type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK) {
      return pack(c, 0, DROP);
    }
    if (type == Character.DECIMAL_DIGIT_NUMBER) {
      char d = (char) ('0' + Character.digit(c, 10));
      return pack(d, leet(d), DIGIT);
    }
    String s = handMapped(c);
    if (s == null) {
      s = stripMarks(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKD)).toLowerCase(Locale.ROOT);
      StringBuilder mapped = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        String m = handMapped(s.charAt(i));
        mapped.append(m == null ? s.substring(i, i + 1) : m);
      }
      s = mapped.toString();
    }
    if (s.isEmpty()) {
      return pack(c, 0, Character.isLetter(c) ? DROP : BREAK);
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isLetterOrDigit(s.charAt(i))) {
        return pack(' ', 0, BREAK);
      }
    }
    if (s.length() > 1) {
      EXPANSIONS.put(c, s);
      return pack(c, 0, EXPAND);
    }
    char f = s.charAt(0);
    if (f >= 'a' && f <= 'z') {
      return pack(f, 0, LATIN);
    }
    if (f >= '0' && f <= '9') {
      return pack(f, leet(f), DIGIT);
    }
    char look = cyrillicLookalike(f);
    if (look != 0) {
      return pack(f, look, CYRILLIC_LOOKALIKE);
    }
    return pack(f, 0, Character.isLetter(f) ? OTHER : BREAK);
  }

  private static int pack(char raw, int latin, int kind) {
    return raw | (latin == raw ? 0 : (latin & 0x7F) << 16) | kind << 24;
  }

  private static String stripMarks(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      int t = Character.getType(ch);
      if (t != Character.NON_SPACING_MARK && t != Character.COMBINING_SPACING_MARK && t != Character.ENCLOSING_MARK
          && t != Character.FORMAT && ch != '\u0640') {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** Letters NFKD does not decompose, and the Arabic-script variants read as one letter. */
  private static String handMapped(char c) {
    switch (c) {
      case 'ł': case 'Ł': return "l";
      case 'đ': case 'Đ': return "d";
      case 'ø': case 'Ø': return "o";
      case 'ı': return "i";
      case 'ß': case 'ẞ': return "s";
      case 'æ': case 'Æ': return "ae";
      case 'œ': case 'Œ': return "oe";
      case 'þ': case 'Þ': return "th";
      case '\u0671': return "\u0627"; // alef wasla → alef (the hamza forms decompose to alef + mark)
      case '\u0649': case '\u06cc': case '\u06d2': case '\u06d0': return "\u064a"; // alef maksura, Farsi/Urdu yeh, yeh barree → yeh
      case '\u06a9': case '\u06aa': return "\u0643"; // keheh, swash kaf → kaf
      case '\u06c1': case '\u06be': case '\u06d5': case '\u0629': case '\u06c3': return "\u0647"; // heh goal, doachashmee, ae, teh marbuta → heh
      default: return null;
    }
  }

  private static char leet(char digit) {
    switch (digit) {
      case '0': return 'o';
      case '1': return 'i';
      case '3': return 'e';
      case '4': return 'a';
      case '5': return 's';
      case '7': return 't';
      default: return digit;
    }
  }

  private static char cyrillicLookalike(char c) {
    switch (c) {
      case 'а': return 'a';
      case 'в': return 'b';
      case 'е': case 'ё': return 'e';
      case 'к': return 'k';
      case 'м': return 'm';
      case 'н': return 'h';
      case 'о': return 'o';
      case 'р': return 'p';
      case 'с': return 'c';
      case 'т': return 't';
      case 'у': return 'y';
      case 'х': return 'x';
      case 'і': return 'i';
      case 'ј': return 'j';
      case 'ѕ': return 's';
      default: return 0;
    }
  }
}
