package org.schoolgate.admin.unblock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.UnblockTarget;

/**
 * What the policy in force says about an unblock target: the categories it is listed in (or is),
 * which of them are illegal (never unblockable) and whether any is sensitive (needs a dsl or
 * senior-leader to approve).
 */
record TargetAssessment(List<CategoryId> categories, List<CategoryId> illegal, boolean sensitive) {

  static TargetAssessment of(UnblockTarget target, PolicySnapshot snapshot) {
    Set<CategoryId> listed = new LinkedHashSet<>();
    if (target instanceof UnblockTarget.Domain d) {
      listed.addAll(snapshot.categoriesOf(d.host(), "/").categories());
    } else if (target instanceof UnblockTarget.UrlPrefix u) {
      listed.addAll(snapshot.categoriesOf(u.host(), "/").categories());
      listed.addAll(snapshot.categoriesOf(u.host(), u.path()).categories());
    } else if (target instanceof UnblockTarget.Category c) {
      listed.add(c.category());
    }
    List<CategoryId> illegal = new ArrayList<>();
    boolean sensitive = false;
    for (CategoryId c : listed) {
      if (snapshot.isIllegal(c)) {
        illegal.add(c);
      }
      sensitive |= snapshot.isSensitive(c);
    }
    return new TargetAssessment(List.copyOf(listed), List.copyOf(illegal), sensitive);
  }

  boolean isIllegal() {
    return !illegal.isEmpty();
  }

  /** Comma-separated category names, for the request record. */
  String categoryNames() {
    return categories.stream().map(CategoryId::value).collect(Collectors.joining(","));
  }
}
