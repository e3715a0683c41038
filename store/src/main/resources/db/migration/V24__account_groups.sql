-- Schoolgate store schema, version 24: the policy groups an account teaches. A teacher's "why is
-- this blocked?" (the console page and GET /api/v1/decide) answers only for these groups;
-- technicians, the DSL and senior leaders ask about any group. Names are the policy's group names
-- (checked against the policy in force by the admin API when set; a group later renamed or removed
-- from the policy simply stops matching). Same conventions as V1.

CREATE TABLE account_groups (
  account_id  BIGINT       NOT NULL REFERENCES accounts (id),
  group_name  VARCHAR(64)  NOT NULL,
  PRIMARY KEY (account_id, group_name)
);
