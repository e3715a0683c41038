package org.schoolgate.policy.url;

import java.lang.Character.UnicodeScript;
import java.net.IDN;
import java.util.EnumSet;
import java.util.Set;

/**
 * Detects host labels that mix writing systems, the usual sign of a look-alike
 * ({@code pаypal.com} with a Cyrillic {@code а}). A label is mixed when its letters come from
 * more than one script, ignoring Common and Inherited, except the combinations UTS #39 allows
 * as "highly restrictive": Latin with Han and Hiragana/Katakana, with Han and Bopomofo, or with
 * Han and Hangul. Whole-script look-alikes (a name spelled entirely in Cyrillic) are not
 * detected.
 */
final class ScriptMix {
  private static final Set<UnicodeScript> JAPANESE = EnumSet.of(UnicodeScript.LATIN,
      UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA);
  private static final Set<UnicodeScript> CHINESE = EnumSet.of(UnicodeScript.LATIN,
      UnicodeScript.HAN, UnicodeScript.BOPOMOFO);
  private static final Set<UnicodeScript> KOREAN = EnumSet.of(UnicodeScript.LATIN,
      UnicodeScript.HAN, UnicodeScript.HANGUL);

  private ScriptMix() {}

  /**
   * True when some label of the normalised (punycode) {@code host} mixes scripts. Hosts without
   * an {@code xn--} label return false without allocating.
   */
  static boolean isMixed(String host) {
    if (!host.contains("xn--")) {
      return false;
    }
    String unicode;
    try {
      unicode = IDN.toUnicode(host, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String label : unicode.split("\\.")) {
      if (labelIsMixed(label)) {
        return true;
      }
    }
    return false;
  }

  private static boolean labelIsMixed(String label) {
    Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
    label.codePoints().forEach(cp -> {
      UnicodeScript s = UnicodeScript.of(cp);
      if (s != UnicodeScript.COMMON && s != UnicodeScript.INHERITED && s != UnicodeScript.UNKNOWN) {
        scripts.add(s);
      }
    });
    return scripts.size() > 1 && !JAPANESE.containsAll(scripts) && !CHINESE.containsAll(scripts)
        && !KOREAN.containsAll(scripts);
  }
}
