-- name: lock-code
-- A transaction-scoped advisory lock on a unit's or an agency's code, an admin's username or
-- a flow's id, folded: two replicas creating PKM-1 and pkm-1 at once take turns, and the
-- second finds the first's.
SELECT pg_advisory_xact_lock(hashtext(?::text));
