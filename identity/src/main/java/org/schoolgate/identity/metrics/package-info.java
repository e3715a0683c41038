/** {@link org.schoolgate.identity.metrics.IdentityMetrics}: the identity module's one meter catalogue. */
package org.schoolgate.identity.metrics;
