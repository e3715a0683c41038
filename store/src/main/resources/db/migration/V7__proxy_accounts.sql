-- Schoolgate store schema, version 7: local proxy accounts, for schools without a directory. People
-- who sign in to the proxy (not to the admin API: admin accounts are the accounts table) with a
-- user name and an Argon2id password hash, and the group names the policy's directory-groups map
-- to policy groups. Same conventions as V1 (instants are BIGINT microseconds, UTC).

CREATE TABLE proxy_accounts (
  username       VARCHAR(64)   NOT NULL PRIMARY KEY,
  password_hash  VARCHAR(200)  NOT NULL,
  groups_json    TEXT          NOT NULL,
  created_at     BIGINT        NOT NULL
);
