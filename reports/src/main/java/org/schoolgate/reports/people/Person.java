package org.schoolgate.reports.people;

import org.schoolgate.reports.ReportException;

/**
 * Whose activity: a user name, or a device's client address (for devices nobody signed in on).
 *
 * @param user the user name, or null
 * @param client the client address, or null
 */
public record Person(String user, String client) {
  /** The longest user name or address taken. */
  static final int MAX = 256;

  public Person {
    user = blankToNull(user);
    client = blankToNull(client);
    if ((user == null) == (client == null)) {
      throw ReportException.invalid("user", "name exactly one of user (a user name) or client (a device's address)");
    }
    String v = user != null ? user : client;
    if (v.length() > MAX || v.chars().anyMatch(Character::isISOControl)) {
      throw ReportException.invalid(user != null ? "user" : "client", "'" + v.substring(0, Math.min(v.length(), 40))
          + "' is not a user name or address (expected: at most " + MAX + " printable characters)");
    }
  }

  public static Person user(String user) {
    return new Person(user, null);
  }

  public static Person client(String client) {
    return new Person(null, client);
  }

  /**
   * The person an alert names: its {@code who} is {@code sam (ks3-4)} or {@code 10.1.2.3 (ks3-4)}
   * (the user, else the client address, then the group).
   */
  public static Person fromAlert(String who) {
    String w = who == null ? "" : who.strip();
    int paren = w.lastIndexOf(" (");
    if (paren > 0 && w.endsWith(")")) {
      w = w.substring(0, paren);
    }
    if (w.startsWith("client ")) {
      return client(w.substring("client ".length()));
    }
    boolean address = w.matches("[0-9.]+") || w.contains(":") && w.matches("[0-9a-fA-F:.]+");
    return address ? client(w) : user(w);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** {@code user 'sam'} or {@code device 10.1.2.3}, for people and the audit trail. */
  public String describe() {
    return user != null ? "user '" + user + "'" : "device " + client;
  }
}
