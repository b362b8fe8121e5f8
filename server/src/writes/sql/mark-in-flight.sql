-- Marks claimed rows in flight.
-- $1 ids (text[])
UPDATE crm_writes SET status = 'in_flight', updated_at = now()
 WHERE id = ANY($1::text[])
RETURNING *
