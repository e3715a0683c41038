/**
 * Policy reloads with an audit record that says what changed: {@link
 * org.schoolgate.admin.reload.PolicyReloads} reloads the holder and records {@code
 * policy.reloaded} with a short, bounded diff of the policy file and the list entry counts before
 * and after ({@code policy.reload_rejected} with the error count). Used by {@code POST
 * /api/v1/policy/reload} and by deploy's SIGHUP handler.
 */
package org.schoolgate.admin.reload;
