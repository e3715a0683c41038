/** The proxy's meter catalogue ({@link org.schoolgate.proxy.metrics.ProxyMetrics}). */
package org.schoolgate.proxy.metrics;
