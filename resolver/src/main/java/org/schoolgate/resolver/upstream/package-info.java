/**
 * Asking the configured upstream resolvers (Netty's {@code DnsNameResolver}, raw queries, a new
 * socket per query for source-port randomisation, TCP when an answer comes back truncated), in
 * order until one answers, with identical questions in flight asked once, and the answers kept in
 * a bounded cache keyed by name and type, TTLs floored and capped.
 */
package org.schoolgate.resolver.upstream;
