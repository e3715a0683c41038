/**
 * Benchmarks: JMH micro-benchmarks of the policy hot path ({@link org.schoolgate.bench.DecideBenchmark}
 * over the shared UT1 lists, {@link org.schoolgate.bench.Decide5MBenchmark} over a synthetic
 * 5,000,000-line feed), the deterministic feed generator ({@code SyntheticFeed}), the compile-time and
 * heap measurement ({@link org.schoolgate.bench.IndexFootprint}), and the helpers that build their
 * inputs. The end-to-end load harness is {@code benchmarks/e2e.sh}; see {@code benchmarks/README.md}.
 */
package org.schoolgate.bench;
