-- Locks the rows of a flush that have no recorded result yet. A row another flush already
-- settled is left out, so its result is audited exactly once.
-- $1 ids (text[])
SELECT * FROM crm_writes
 WHERE id = ANY($1::text[])
   AND result_event_id IS NULL
   AND status IN ('pending', 'in_flight')
 ORDER BY seq
   FOR UPDATE
