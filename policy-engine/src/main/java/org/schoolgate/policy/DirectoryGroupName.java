package org.schoolgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How directory group names are compared. A group is written either as an LDAP distinguished name
 * ({@code CN=Year9,OU=Pupils,DC=school,DC=example}) or as a plain name ({@code Year9}, a local
 * account group, a cloud group name). Both sides — the policy and what a directory returns — are
 * normalised the same way: a DN's RDNs are trimmed around {@code ,}, {@code =} and {@code +} and
 * lower-cased; a plain name is trimmed and lower-cased.
 *
 * <p>A person in a DN group is also "in" the group's first RDN value ({@code year9} for the DN
 * above), so a policy can name {@code Year9} without the full DN; use the DN when two groups
 * share a name in different OUs.
 *
 * <pre>{@code
 * DirectoryGroupName.normalise(" CN=Year9 , OU=Pupils,DC=school,DC=example") // cn=year9,ou=pupils,dc=school,dc=example
 * DirectoryGroupName.keys("CN=Year9,OU=Pupils,DC=school,DC=example")          // [that, "year9"]
 * }</pre>
 */
public final class DirectoryGroupName {
  /** The longest group name accepted (AD allows DNs of about 2 KB; 1,024 characters is plenty). */
  public static final int MAX_LENGTH = 1024;

  private DirectoryGroupName() {}

  /**
   * The normalised form of {@code name}: a DN with trimmed, lower-case RDNs joined by {@code ,},
   * or a trimmed, lower-case plain name. Escaped characters ({@code \,}) are kept as written.
   */
  public static String normalise(String name) {
    String s = name.strip();
    if (!isDn(s)) {
      return s.toLowerCase(Locale.ROOT);
    }
    List<String> rdns = split(s, ',');
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < rdns.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      List<String> parts = split(rdns.get(i), '+');
      for (int j = 0; j < parts.size(); j++) {
        if (j > 0) {
          b.append('+');
        }
        String ava = parts.get(j);
        int eq = ava.indexOf('=');
        if (eq < 0) {
          b.append(ava.strip().toLowerCase(Locale.ROOT));
        } else {
          b.append(ava.substring(0, eq).strip().toLowerCase(Locale.ROOT)).append('=')
              .append(ava.substring(eq + 1).strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return b.toString();
  }

  /**
   * The keys a person's membership of {@code group} is matched by: the normalised name and, for a
   * DN, the normalised value of its first RDN ({@code year9}).
   */
  public static List<String> keys(String group) {
    String n = normalise(group);
    if (!isDn(n)) {
      return List.of(n);
    }
    String first = split(n, ',').get(0);
    int eq = first.indexOf('=');
    String value = eq < 0 ? "" : first.substring(eq + 1);
    return value.isEmpty() || value.equals(n) ? List.of(n) : List.of(n, value);
  }

  /**
   * What is wrong with {@code name} as a group name in a policy or an API call, or null when it is
   * fine: blank, too long, control characters, or a DN with an RDN that has no {@code =}.
   */
  public static String problem(String name) {
    if (name == null || name.isBlank()) {
      return "is blank (expected: a directory group such as CN=Year9,OU=Pupils,DC=school,DC=example or Year9)";
    }
    if (name.length() > MAX_LENGTH) {
      return "is " + name.length() + " characters long (expected: at most " + MAX_LENGTH + ")";
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "has a control character at position " + i + " (expected: printable text)";
      }
    }
    String s = name.strip();
    if (isDn(s)) {
      for (String rdn : split(s, ',')) {
        for (String ava : split(rdn, '+')) {
          int eq = ava.indexOf('=');
          if (eq <= 0 || ava.substring(0, eq).isBlank() || ava.substring(eq + 1).isBlank()) {
            return "'" + name + "' is not a distinguished name: '" + ava.strip()
                + "' is not type=value (expected: e.g. CN=Year9,OU=Pupils,DC=school,DC=example)";
          }
        }
      }
    }
    return null;
  }

  /** True when {@code s} has an unescaped {@code =}: an LDAP DN rather than a plain name. */
  private static boolean isDn(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '=') {
        return true;
      }
    }
    return false;
  }

  /** Splits on unescaped {@code separator}, keeping escapes as written. */
  private static List<String> split(String s, char separator) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == separator) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }
}
