-- Serialises changes of one switch, so two concurrent requests never both record "on".
-- $1 lock name: tenant + scope (text)
SELECT pg_advisory_xact_lock(hashtext($1))
