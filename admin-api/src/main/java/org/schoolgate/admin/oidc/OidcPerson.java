package org.schoolgate.admin.oidc;

import java.util.List;
import java.util.Objects;

/**
 * The person a checked ID token names.
 *
 * @param user the user name from the configured claim, lower case (e.g. {@code alice@school.example})
 * @param subject the provider's stable id for the person ({@code sub}), for the audit trail
 * @param groups the groups from the groups claim ({@link OidcSettings.GroupSource#CLAIM}); empty otherwise
 */
public record OidcPerson(String user, String subject, List<String> groups) {
  public OidcPerson {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(subject, "subject");
    groups = List.copyOf(groups);
  }

  /** The user name without its domain ({@code alice} for {@code alice@school.example}). */
  public String localPart() {
    int at = user.indexOf('@');
    return at < 0 ? user : user.substring(0, at);
  }
}
