package org.schoolgate.policy.model;

import java.util.Objects;
import org.schoolgate.policy.DirectoryGroupName;
import org.schoolgate.policy.GroupId;

/**
 * One line of {@code identification.directory-groups}: people in {@code directoryGroup} get
 * {@code group}. Lines are tried in order; the first the person is in wins.
 *
 * @param directoryGroup a DN ({@code CN=Year9,OU=Pupils,DC=school,DC=example}) or a plain name
 *     ({@code Year9}, matching a DN group's first RDN value or a local/cloud group of that name)
 * @param group the policy group
 */
public record GroupMapping(String directoryGroup, GroupId group) {
  public GroupMapping {
    String problem = DirectoryGroupName.problem(directoryGroup);
    if (problem != null) {
      throw new IllegalArgumentException("directory group " + problem);
    }
    Objects.requireNonNull(group, "group");
  }

  /** The normalised name the person's group keys are compared with. */
  public String key() {
    return DirectoryGroupName.normalise(directoryGroup);
  }
}
