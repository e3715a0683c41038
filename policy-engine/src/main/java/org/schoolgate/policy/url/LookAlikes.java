package org.schoolgate.policy.url;

import com.ibm.icu.text.SpoofChecker;
import java.lang.Character.UnicodeScript;
import java.util.Map;

/**
 * Detects host labels that are likely look-alikes of other names, using Unicode's confusable
 * data (UTS #39, via ICU's {@link SpoofChecker}). A label is a look-alike when either
 *
 * <ul>
 *   <li>it mixes writing systems beyond UTS #39's "highly restrictive" level
 *       ({@code pаypal} with a Cyrillic {@code а}, {@code раураl} with a Latin {@code l}), uses
 *       digits from more than one numbering system, or stacks invisible combining marks — Latin
 *       with Han and Hiragana/Katakana, with Han and Bopomofo, or with Han and Hangul is allowed;
 *   <li>or it is confusable with an ASCII name as a whole: its UTS #39 skeleton is plain ASCII
 *       letters, digits and hyphens although the label itself is not ASCII (all-Cyrillic
 *       {@code аррӏе} reads {@code apple}; Latin {@code gıthub} with a dotless ı reads
 *       {@code github}). The top-level label is exempt from this rule (registries, not pupils,
 *       choose it), and so are labels under a top-level domain of their own script: {@code .рф},
 *       {@code .ru}, {@code .ua} and the other Cyrillic country domains for Cyrillic, {@code .gr}
 *       and {@code .cy} for Greek, {@code .am} for Armenian, {@code .ge} for Georgian — as browsers
 *       do, since there a word such as {@code сухое} is simply Russian.
 * </ul>
 *
 * <p>Ordinary non-Latin names ({@code пример.рф}, {@code 例え.jp}, {@code مثال.آزمایشی}) are not
 * look-alikes. Only labels in Unicode (from {@code xn--} labels) are examined.
 */
final class LookAlikes {
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder()
      .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE)
      .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
      .build();

  /** ASCII country domains whose names are commonly written in another script. */
  private static final Map<String, UnicodeScript> COUNTRY_SCRIPTS = Map.ofEntries(
      Map.entry("bg", UnicodeScript.CYRILLIC), Map.entry("by", UnicodeScript.CYRILLIC),
      Map.entry("kg", UnicodeScript.CYRILLIC), Map.entry("kz", UnicodeScript.CYRILLIC),
      Map.entry("mk", UnicodeScript.CYRILLIC), Map.entry("mn", UnicodeScript.CYRILLIC),
      Map.entry("rs", UnicodeScript.CYRILLIC), Map.entry("ru", UnicodeScript.CYRILLIC),
      Map.entry("su", UnicodeScript.CYRILLIC), Map.entry("tj", UnicodeScript.CYRILLIC),
      Map.entry("ua", UnicodeScript.CYRILLIC), Map.entry("uz", UnicodeScript.CYRILLIC),
      Map.entry("gr", UnicodeScript.GREEK), Map.entry("cy", UnicodeScript.GREEK),
      Map.entry("am", UnicodeScript.ARMENIAN), Map.entry("ge", UnicodeScript.GEORGIAN));

  private LookAlikes() {}

  /** True when some label of {@code unicodeHost} (a valid host, labels decoded) is a look-alike. */
  static boolean inUnicodeHost(String unicodeHost) {
    String[] labels = unicodeHost.split("\\.");
    int last = labels.length - 1;
    UnicodeScript topScript = topLevelScript(labels[last]);
    for (int i = 0; i <= last; i++) {
      String label = labels[i];
      if (isAscii(label)) {
        continue;
      }
      if (SPOOF.failsChecks(label)) {
        return true;
      }
      if (i < last && readsAsAscii(label)) {
        UnicodeScript script = scriptOf(label);
        if (script == null || script != topScript) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the label's confusable skeleton is only ASCII letters, digits and hyphens. */
  private static boolean readsAsAscii(String label) {
    String skeleton = SPOOF.getSkeleton(label);
    for (int i = 0; i < skeleton.length(); i++) {
      char c = skeleton.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return !skeleton.isEmpty();
  }

  private static UnicodeScript topLevelScript(String label) {
    return isAscii(label) ? COUNTRY_SCRIPTS.get(label) : scriptOf(label);
  }

  /** The one script of the label's letters (Common and Inherited ignored); null when mixed or none. */
  private static UnicodeScript scriptOf(String label) {
    UnicodeScript found = null;
    for (int i = 0; i < label.length(); ) {
      int cp = label.codePointAt(i);
      i += Character.charCount(cp);
      UnicodeScript s = UnicodeScript.of(cp);
      if (s == UnicodeScript.COMMON || s == UnicodeScript.INHERITED || s == UnicodeScript.UNKNOWN) {
        continue;
      }
      if (found != null && found != s) {
        return null;
      }
      found = s;
    }
    return found;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
