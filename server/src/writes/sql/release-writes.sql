-- Puts claimed rows back to pending without counting an attempt (the CRM rate-limited us, or
-- the flush stopped before sending).
-- $1 ids (text[])
UPDATE crm_writes SET status = 'pending', updated_at = now()
 WHERE id = ANY($1::text[]) AND status = 'in_flight' AND result_event_id IS NULL
