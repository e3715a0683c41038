package org.schoolgate.resolver.upstream;

/** What asking upstream (or the cache) came to. */
public sealed interface UpstreamResult permits UpstreamResult.Answered, UpstreamResult.Failed {

  /** An answer (NOERROR or NXDOMAIN): from the cache, or from an upstream just now. */
  record Answered(CachedAnswer answer, boolean fromCache) implements UpstreamResult {}

  /** No upstream gave a usable answer in time: the client gets SERVFAIL. */
  record Failed(String reason) implements UpstreamResult {}
}
