-- PostgreSQL never reads outbox_pending: a claim finds each chat's oldest unfinished message
-- through outbox_chat (DISTINCT ON, ordered as that index is), and the backlog counts the
-- unfinished messages through the same predicate. Kept, it cost an index entry for every
-- message written, one of the four a reply costs. SQLite keeps its own: its has-due-outbox
-- reads it (INDEXED BY).
DROP INDEX IF EXISTS outbox_pending;
