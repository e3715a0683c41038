/**
 * {@link org.schoolgate.identity.metrics.IdentityMetrics}: the identity module's one meter
 * catalogue (verifications, refusals, cache, directory calls, circuit, queue), fixed tags only.
 */
package org.schoolgate.identity.metrics;
