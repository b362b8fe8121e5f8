-- Which of these events a live rollback item (pending or done) already undoes.
-- $1 tenant_id text, $2 event ids text[]
SELECT DISTINCT unnest(event_ids) AS event_id FROM rollback_items
 WHERE tenant_id = $1 AND state IN ('pending', 'done') AND event_ids && $2::text[]
