package org.schoolgate.policy;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The person behind a request: a user name and the directory groups they are in. Built once per
 * identification ({@link PolicySnapshot#identify(java.net.InetAddress, String, Collection)}), never
 * per request; {@code decide} reads it (matrix cells nominating directory groups, unblocks scoped
 * to directory groups) without allocating.
 *
 * <pre>{@code
 * Person p = Person.of("a.khan", List.of("CN=Social Media,OU=Staff,DC=school,DC=example"));
 * p.isIn("social media"); // true: the first RDN's value, normalised
 * }</pre>
 */
public class Person {
  private final String user;
  private final List<String> directoryGroups;
  private final Set<String> keys;

  /** For the policy compiler's subclass; others use {@link #of}. */
  protected Person(String user, Collection<String> directoryGroups) {
    Objects.requireNonNull(user, "user");
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is blank (expected: a user name)");
    }
    this.user = user.strip();
    Set<String> given = new LinkedHashSet<>();
    Set<String> k = new HashSet<>();
    for (String g : directoryGroups) {
      if (g != null && !g.isBlank()) {
        given.add(g.strip());
        k.addAll(DirectoryGroupName.keys(g));
      }
    }
    this.directoryGroups = List.copyOf(given);
    this.keys = Set.copyOf(k);
  }

  /** A person with {@code directoryGroups} (as the directory named them; may be empty). */
  public static Person of(String user, Collection<String> directoryGroups) {
    return new Person(user, directoryGroups);
  }

  /** The user name as identified (e.g. {@code a.khan}). */
  public String user() {
    return user;
  }

  /** The directory groups as the directory named them, in order, without duplicates. */
  public List<String> directoryGroups() {
    return directoryGroups;
  }

  /**
   * True when the person is in the group with normalised key {@code key} (see {@link
   * DirectoryGroupName#keys}). Allocates nothing.
   */
  public boolean isIn(String key) {
    return keys.contains(key);
  }

  /** Every key the person's groups are matched by. */
  public Set<String> groupKeys() {
    return keys;
  }

  @Override
  public String toString() {
    return "Person[" + user + ", " + directoryGroups.size() + " directory groups]";
  }
}
