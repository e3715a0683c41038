/**
 * Changing the policy from the console and the API: the school's own block and allow lists
 * ({@link org.schoolgate.admin.policyedit.SchoolLists}). Each change is validated with the
 * engine's own parser, written atomically (a temporary file beside the old, then one atomic
 * rename), put in force by a reload through {@link org.schoolgate.admin.reload.PolicyReloads},
 * and audited with who, why and before/after; a change the policy cannot compile with is undone.
 */
package org.schoolgate.admin.policyedit;
