package org.schoolgate.admin.auth;

import io.javalin.http.HttpStatus;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.store.Account;
import org.schoolgate.store.AccountStore;
import org.schoolgate.store.Role;

/**
 * Which policy groups an account may ask "why is this blocked?" about. Technicians, the DSL and
 * senior leaders ask about every group; a teacher (holding none of those roles) only about the
 * groups an admin set as the ones they teach ({@code account_groups}). A group the policy no
 * longer has simply drops out of a teacher's list. Admins set the list with {@link #validate}:
 * every name must be a group of the policy in force.
 */
public final class TaughtGroups {
  /** Roles that ask about any group. */
  static final Set<Role> EVERY_GROUP = EnumSet.of(Role.TECHNICIAN, Role.DSL, Role.SENIOR_LEADER);

  private TaughtGroups() {}

  /** Who may ask about what. */
  public sealed interface Scope {
    /** Any group of the policy. */
    record Every() implements Scope {}

    /** Only these groups of the policy (in the policy's order; may be empty). */
    record Only(List<String> groups) implements Scope {
      public Only {
        groups = List.copyOf(groups);
      }
    }

    /** The groups of {@code snapshot} this scope offers, in the policy's order. */
    default List<String> offered(PolicySnapshot snapshot) {
      List<String> all = snapshot.groups().stream().map(GroupId::value).toList();
      return this instanceof Only only ? all.stream().filter(only.groups()::contains).toList() : all;
    }
  }

  /** The scope of {@code account} under {@code snapshot}. */
  public static Scope of(Account account, AccountStore accounts, PolicySnapshot snapshot) {
    if (account.roles().stream().anyMatch(EVERY_GROUP::contains)) {
      return new Scope.Every();
    }
    List<String> taught = accounts.taughtGroups(account.id());
    return new Scope.Only(snapshot.groups().stream().map(GroupId::value).filter(taught::contains).toList());
  }

  /** 403 {@code no_taught_groups}: a teacher with no groups set asks nothing. */
  public static ApiException noGroups() {
    return ApiException.forbidden("no_taught_groups", "no teaching groups are set for your account, so \"why is"
        + " this blocked?\" cannot answer for any group yet: ask a Schoolgate admin to set the groups you teach"
        + " (on your account's page under Accounts)");
  }

  /** 403 {@code group_not_taught} for {@code group}, naming the groups the teacher may ask about. */
  public static ApiException notTaught(String group, List<String> taught) {
    return ApiException.forbidden("group_not_taught", "you can ask \"why is this blocked?\" only for the groups you"
        + " teach (" + String.join(", ", taught) + "), and this question is for group " + group + "; ask a"
        + " technician, or a Schoolgate admin to add the group to the ones you teach");
  }

  /**
   * The names given, stripped and without repeats (in the order given), each a group of {@code
   * snapshot}; 422 {@code unknown_group} naming the unknown ones and the policy's groups otherwise.
   */
  public static List<String> validate(PolicySnapshot snapshot, Collection<String> names) {
    List<String> known = snapshot.groups().stream().map(GroupId::value).toList();
    Set<String> given = new LinkedHashSet<>();
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        given.add(n.strip());
      }
    }
    List<String> unknown = given.stream().filter(n -> !known.contains(n)).toList();
    if (!unknown.isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_group", (unknown.size() == 1
          ? "'" + unknown.get(0) + "' is not a group" : "'" + String.join("', '", unknown) + "' are not groups")
          + " of the policy in force (its groups: " + String.join(", ", known) + ")", "groups");
    }
    return List.copyOf(given);
  }
}
