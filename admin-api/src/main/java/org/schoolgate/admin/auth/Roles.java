package org.schoolgate.admin.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.admin.http.ApiException;
import org.schoolgate.store.Role;

/** Reads role names from the API ({@code ["teacher", "dsl"]}). */
final class Roles {
  static final String EXPECTED = "one or more of " + Arrays.stream(Role.values())
      .map(Role::apiName).collect(Collectors.joining(", "));

  private Roles() {}

  static Set<Role> parse(List<String> names, String field) {
    if (names.isEmpty()) {
      throw ApiException.invalid(field, field + " is empty (expected: " + EXPECTED + ")");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      roles.add(Role.parse(name).orElseThrow(() -> ApiException.invalid(field,
          field + " holds '" + name + "', which is not a role (expected: " + EXPECTED + ")")));
    }
    return roles;
  }
}
