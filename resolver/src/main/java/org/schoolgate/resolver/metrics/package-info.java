/** {@link org.schoolgate.resolver.metrics.ResolverMetrics}: the resolver's one meter catalogue. */
package org.schoolgate.resolver.metrics;
