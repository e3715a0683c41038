-- Several nodes on one database: each audit record names the node that wrote it (the runtime
-- configuration's node:). NULL for records written before, whose hashes do not include it.
ALTER TABLE audit ADD COLUMN node VARCHAR(64);
