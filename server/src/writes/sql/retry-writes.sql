-- Puts rows back to pending after a retryable failure, not to be claimed before their backoff.
-- $1 ids (text[]), $2 errors (text[]), $3 backoff in ms (double precision[])
UPDATE crm_writes AS w SET
  status = 'pending',
  attempts = w.attempts + 1,
  last_error = u.error,
  not_before = now() + u.delay_ms * interval '1 millisecond',
  updated_at = now()
  FROM unnest($1::text[], $2::text[], $3::double precision[]) AS u(id, error, delay_ms)
 WHERE w.id = u.id AND w.result_event_id IS NULL
