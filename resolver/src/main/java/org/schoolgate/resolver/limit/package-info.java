/** Per-client query rate limits (no amplification, no flooding) and TCP connection limits. */
package org.schoolgate.resolver.limit;
