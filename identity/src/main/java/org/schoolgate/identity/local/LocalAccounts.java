package org.schoolgate.identity.local;

import org.schoolgate.identity.verify.PasswordSource;

/**
 * Schoolgate's own proxy accounts, for schools without a directory: user names, Argon2id password
 * hashes and group names. They are meant to be a list of their own in the store, apart from the
 * admin accounts (a pupil never gets an admin sign-in, and the admin accounts' lock-out is never
 * driven by proxy traffic): the store's {@code proxy_accounts}, which deploy adapts. The
 * {@link org.schoolgate.identity.verify.CredentialVerifier} asks it after the directory (or alone).
 *
 * <p>Implementations take about the same time for an unknown user as for a wrong password (a
 * dummy hash), never log the password, and do not lock accounts themselves: the verifier's
 * throttle keeps failed attempts down.
 */
public interface LocalAccounts extends PasswordSource {
}
