/**
 * Compiling a policy into an immutable snapshot: {@link org.schoolgate.policy.compile.PolicyCompiler} loads the lists and builds {@link org.schoolgate.policy.compile.CompiledPolicy}, whose decide() holds the precedence (including the unblock step; {@link org.schoolgate.policy.compile.PolicyWithUnblocks} is the compiled policy with an {@link org.schoolgate.policy.UnblockSet} applied, what {@code PolicyHolder} publishes); schedules in the policy time zone, client identification and squidGuard expressions ({@code ExpressionMatcher}, RE2/J, asked only when no domain entry matched) live here too.
 */
package org.schoolgate.policy.compile;
