-- Admins manage the taxonomy: a topic or donation category that is no longer offered is made
-- inactive instead of deleted, because listings, events and organisations keep referring to it.
ALTER TABLE topics ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
