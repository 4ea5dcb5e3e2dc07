-- name: lock-code
-- A transaction-scoped advisory lock on a unit's or an agency's code or an admin's username,
-- folded: two replicas creating PKM-1 and pkm-1 at once take turns, and the second finds the
-- first's.
SELECT pg_advisory_xact_lock(hashtext(?::text));
