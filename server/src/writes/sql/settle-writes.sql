-- Records final outcomes with their audit events.
-- $1 ids, $2 statuses ('done'|'failed'|'skipped'|'cancelled'), $3 errors (NULL allowed), $4 result event ids — text[];
-- $5 attempts to add (integer[]: 1 when the row was sent, else 0); $6 the kill switch event that cancelled it (text[], NULLs)
UPDATE crm_writes AS w SET
  status = u.status,
  last_error = u.error,
  result_event_id = u.event_id,
  attempts = w.attempts + u.sent,
  not_before = NULL,
  updated_at = now(),
  done_at = now(),
  cancelled_by = u.cancelled_by
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[])
       AS u(id, status, error, event_id, sent, cancelled_by)
 WHERE w.id = u.id AND w.result_event_id IS NULL
RETURNING w.*
