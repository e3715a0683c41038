/**
 * Contract of the policy engine: what other modules use. {@link org.schoolgate.policy.PolicySnapshot} decides requests and identifies clients; {@link org.schoolgate.policy.PolicyHolder} keeps the policy in force, with the approved {@link org.schoolgate.policy.UnblockSet} applied, and reloads it atomically; {@link org.schoolgate.policy.Decision} and {@link org.schoolgate.policy.Identification} are the typed results.
 */
package org.schoolgate.policy;
