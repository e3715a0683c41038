/**
 * {@link org.schoolgate.identity.verify.CredentialVerifier}: checks credentials off the event
 * loops on its own bounded executor, caches verified people (Caffeine, a salted hash of the
 * password as the key), throttles wrong passwords below the directory's lock-out threshold, and
 * protects the directory with a circuit breaker. Sources are
 * {@link org.schoolgate.identity.verify.PasswordSource}s.
 */
package org.schoolgate.identity.verify;
