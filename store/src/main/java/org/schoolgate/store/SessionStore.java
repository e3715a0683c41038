package org.schoolgate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Session tokens (after login) and API tokens (for scripts). Tokens are 256-bit random values
 * shown once; only their SHA-256 is stored.
 */
public interface SessionStore {

  /** A new session for the account, valid for {@code ttl} (sliding is not needed). */
  IssuedToken createSession(AccountId account, Duration ttl);

  /** A named API token; audited as {@code token.created}. */
  IssuedToken createApiToken(AccountId account, String name, Instant expiresAt, Actor actor);

  /** The account behind a session or API token, if it exists, has not expired and the account is enabled. */
  Optional<Principal> authenticate(String token);

  /** Ends a session (logout) or an API token; unknown tokens are ignored. */
  void revoke(String token, Actor actor);

  List<ApiTokenInfo> apiTokens(AccountId account);

  /**
   * Revokes API token {@code id} if it belongs to {@code owner} (the token itself is never stored,
   * so the API's {@code DELETE /api/v1/tokens/{id}} needs this); audited as {@code token.revoked}.
   *
   * @return false when {@code owner} has no API token {@code id}
   */
  boolean revokeApiToken(AccountId owner, long id, Actor actor);

  /** A token as returned once to its owner. */
  record IssuedToken(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedToken[expires " + expiresAt + "]";
    }
  }

  /** Who a request is from. */
  record Principal(Account account, Kind kind) {
    public enum Kind { SESSION, API_TOKEN }
  }

  /** An API token's details (never the token). */
  record ApiTokenInfo(long id, String name, Instant createdAt, Instant expiresAt) {}
}
