package org.schoolgate.identity.binding;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a user name from a logon script, a Wi-Fi controller or an MDM becomes the name the school's
 * directory knows: {@code SCHOOL\alice} and {@code alice@school.example} become {@code alice} when
 * {@code SCHOOL} / {@code school.example} is one of {@link #realms()} ({@code *}: any), and names
 * are folded to lower case (directories compare names case-insensitively). A name from a realm not
 * listed is kept whole (a visitor's {@code bob@other.ac.uk} is not the school's {@code bob}).
 *
 * <pre>{@code
 * UserNameRule rule = new UserNameRule(Set.of("school.example", "SCHOOL"), true);
 * rule.normalise("SCHOOL\\Alice");  // "alice"
 * }</pre>
 *
 * @param realms realms and NetBIOS domains to strip, compared case-insensitively; {@code *} strips any
 * @param lowerCase fold names to lower case
 */
public record UserNameRule(Set<String> realms, boolean lowerCase) {
  /** The longest user name accepted (Active Directory's UPN limit is 256 characters). */
  public static final int MAX_LENGTH = 256;
  /** Strip nothing, fold case. */
  public static final UserNameRule DEFAULT = new UserNameRule(Set.of(), true);

  public UserNameRule {
    TreeSet<String> folded = new TreeSet<>();
    for (String realm : realms) {
      String r = realm == null ? "" : realm.strip().toLowerCase(Locale.ROOT);
      if (r.isEmpty() || r.indexOf('@') >= 0 || r.indexOf('\\') >= 0) {
        throw new IllegalArgumentException("realm '" + realm
            + "' is not a realm (expected: a domain such as school.example, a NetBIOS name such as SCHOOL, or *)");
      }
      folded.add(r);
    }
    realms = Set.copyOf(folded);
  }

  /**
   * The normalised name of {@code raw}.
   *
   * @throws IllegalArgumentException naming what is wrong: empty, too long, control characters,
   *     or nothing left once the realm is stripped
   */
  public String normalise(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("the user name is empty (expected: a name such as alice or SCHOOL\\alice)");
    }
    String name = raw.strip();
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the user name is " + name.length() + " characters long (expected: at most "
          + MAX_LENGTH + ")");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException("the user name contains a control character at position " + (i + 1)
            + " (expected: printable characters only)");
      }
    }
    int backslash = name.indexOf('\\');
    if (backslash >= 0 && strips(name.substring(0, backslash))) {
      name = name.substring(backslash + 1);
    }
    int at = name.lastIndexOf('@');
    if (at >= 0 && strips(name.substring(at + 1))) {
      name = name.substring(0, at);
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("the user name '" + raw.strip() + "' is only a realm (expected: a name before"
          + " the @ or after the \\)");
    }
    return lowerCase ? name.toLowerCase(Locale.ROOT) : name;
  }

  private boolean strips(String realm) {
    return realms.contains("*") || realms.contains(realm.toLowerCase(Locale.ROOT));
  }
}
