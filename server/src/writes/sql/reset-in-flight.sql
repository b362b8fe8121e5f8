-- On start: rows a crashed process left in flight go back to pending. Sending a value twice
-- is harmless, and result_event_id keeps their audit exactly once.
-- (no parameters)
UPDATE crm_writes SET status = 'pending', updated_at = now()
 WHERE status = 'in_flight' AND result_event_id IS NULL
