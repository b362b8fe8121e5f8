-- QA reviews of agent actions decided in the range, with the agent's confidence from the reviewed
-- event: the acceptance figures' QA half and confidence vs outcome. Scorecard lines as written
-- (qa/scorecard.ts): a `fail` (or a score of 1–2) on dedupe_frequency marks a duplicate created.
-- $1 tenant_id, $2 from, $3 to
SELECT q.verdict,
       (e.event->>'confidence')::float8 AS confidence,
       (q.scorecard->>'dedupe_frequency') AS dedupe
  FROM qa_items q
  JOIN audit_events e ON e.tenant_id = q.tenant_id AND e.event_id = q.event_id
 WHERE q.tenant_id = $1 AND q.state = 'reviewed'
   AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
