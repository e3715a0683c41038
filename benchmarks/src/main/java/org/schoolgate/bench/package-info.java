/**
 * Benchmarks: JMH micro-benchmarks of the policy hot path ({@link org.schoolgate.bench.DecideBenchmark})
 * and the helpers that build their inputs from the shared UT1 lists. The end-to-end load harness is
 * {@code benchmarks/e2e.sh}; see {@code benchmarks/README.md}.
 */
package org.schoolgate.bench;
