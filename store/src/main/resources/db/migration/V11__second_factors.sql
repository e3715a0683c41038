-- Schoolgate store schema, version 11: the second factor (TOTP, RFC 6238) and recovery codes, for
-- the accounts whose roles require one (admin, dsl, senior-leader). Same conventions as V1
-- (instants are BIGINT microseconds, UTC). An account without a row here is not enrolled: it is
-- asked to enrol at its next sign-in (the migration path for accounts made before version 11).

CREATE TABLE second_factors (
  account_id    BIGINT        NOT NULL PRIMARY KEY REFERENCES accounts (id),
  -- the shared secret, Base32 (it must be read back to compute codes, so it cannot be hashed)
  secret        VARCHAR(64)   NOT NULL,
  enrolled_at   BIGINT        NOT NULL,
  -- the highest 30-second time step already accepted: a code is never accepted twice
  last_step     BIGINT        NOT NULL,
  -- consecutive wrong codes, and the lock-out they caused
  failures      INTEGER       NOT NULL DEFAULT 0,
  locked_until  BIGINT
);

-- One-time recovery codes, shown once at enrolment; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
  id          ${id_column},
  account_id  BIGINT        NOT NULL REFERENCES accounts (id),
  code_hash   CHAR(64)      NOT NULL,
  used_at     BIGINT,
  CONSTRAINT recovery_codes_hash_unique UNIQUE (account_id, code_hash)
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id);
