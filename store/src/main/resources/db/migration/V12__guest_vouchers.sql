-- Schoolgate store schema, version 12: guest vouchers for the sign-in page. A teacher or the office
-- issues one for a named guest for one day; the guest types its code on the sign-in page of a
-- personal device, which then browses as that guest (directory group 'guests') until the day ends.
-- The code itself is never stored: code_hash is its SHA-256. Same conventions as V1 (${id_column};
-- instants are BIGINT microseconds, UTC).

CREATE TABLE guest_vouchers (
  id            ${id_column},
  code_hash     CHAR(64)      NOT NULL UNIQUE,
  guest_name    VARCHAR(60)   NOT NULL,
  valid_from    BIGINT        NOT NULL,
  valid_until   BIGINT        NOT NULL,
  issued_by     VARCHAR(64)   NOT NULL,
  created_at    BIGINT        NOT NULL,
  sign_ins      INTEGER       NOT NULL DEFAULT 0,
  revoked_at    BIGINT,
  CONSTRAINT guest_vouchers_window_check CHECK (valid_until > valid_from)
);
CREATE INDEX guest_vouchers_until ON guest_vouchers (valid_until);
