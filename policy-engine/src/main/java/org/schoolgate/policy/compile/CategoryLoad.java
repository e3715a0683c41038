package org.schoolgate.policy.compile;

import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.lists.ListStats;

/**
 * What one source of one category contributed when the policy was compiled.
 *
 * @param category the policy category
 * @param source {@code list/category} for imported lists, {@code domains}/{@code urls} for
 *     inline entries, or the file name for {@code files}
 * @param kind {@code domains} or {@code urls}
 * @param stats line counts
 */
public record CategoryLoad(CategoryId category, String source, String kind, ListStats stats) {}
