package org.schoolgate.identity.local;

import org.schoolgate.identity.verify.PasswordSource;

/**
 * Schoolgate's own proxy accounts, for schools without a directory: user names, Argon2id password
 * hashes and group names, kept in the store ({@code proxy_users}, a list of its own, apart from
 * the admin accounts). Deploy adapts the store to this interface; the
 * {@link org.schoolgate.identity.verify.CredentialVerifier} asks it after the directory (or alone).
 *
 * <p>Implementations take about the same time for an unknown user as for a wrong password (a
 * dummy hash), never log the password, and do not lock accounts themselves: the verifier's
 * throttle keeps failed attempts down.
 */
public interface LocalAccounts extends PasswordSource {
}
