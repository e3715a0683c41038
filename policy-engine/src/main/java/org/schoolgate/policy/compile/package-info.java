/**
 * Compiling a policy into an immutable snapshot: {@link org.schoolgate.policy.compile.PolicyCompiler} loads the lists and builds {@link org.schoolgate.policy.compile.CompiledPolicy}, whose decide() holds the precedence; schedules in the policy time zone, client identification and squidGuard expressions ({@code ExpressionMatcher}, RE2/J, asked only when no domain entry matched) live here too.
 */
package org.schoolgate.policy.compile;
