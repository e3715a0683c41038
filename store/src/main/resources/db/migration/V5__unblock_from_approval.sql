-- Schoolgate store schema, version 5. Same conventions as V1.
-- An unblock asked "for N minutes" (no start given) runs N minutes from its approval, not from the
-- request: starts_at/ends_at hold the request's provisional period until approval moves them.
-- Requests stored before this version keep the period they were asked with.

ALTER TABLE unblocks ADD COLUMN starts_at_approval BOOLEAN NOT NULL DEFAULT FALSE;
