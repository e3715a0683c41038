/**
 * Compiling a policy into an immutable snapshot: {@link org.schoolgate.policy.compile.PolicyCompiler} loads the lists and builds {@link org.schoolgate.policy.compile.CompiledPolicy}, whose decide() holds the precedence; schedules in the policy time zone and client identification live here too.
 */
package org.schoolgate.policy.compile;
