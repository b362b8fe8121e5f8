-- Recomputes the counters and state of unfinished jobs, so progress is right even if a settle
-- hook was lost. Counts come from the items, which settle-items.sql has just brought up to date
-- with their writes: a write that settles between the two statements leaves the job running
-- until the next refresh, instead of marking it done before its item (and its conflict) is
-- recorded. A job is done when every restore settled, failed when any of them failed.
-- $1 job ids text[], $2 now timestamptz
WITH s AS (
  SELECT i.job_id,
         count(*) FILTER (WHERE i.state IN ('done', 'failed', 'skipped')) AS settled,
         count(*) FILTER (WHERE i.state = 'failed') AS failed,
         count(*) FILTER (WHERE i.state = 'skipped') AS skipped,
         count(*) FILTER (WHERE w.status = 'in_flight') AS in_flight
    FROM rollback_items i JOIN crm_writes w ON w.id = i.write_id
   WHERE i.job_id = ANY($1::text[])
   GROUP BY i.job_id
)
UPDATE rollback_jobs j SET
  done = s.settled,
  failed = s.failed,
  skipped = s.skipped,
  state = CASE WHEN s.settled >= j.total THEN (CASE WHEN s.failed > 0 THEN 'failed' ELSE 'done' END)
               WHEN s.settled > 0 OR s.in_flight > 0 THEN 'running'
               ELSE j.state END,
  finished_at = CASE WHEN s.settled >= j.total THEN $2::timestamptz END,
  updated_at = $2
  FROM s
 WHERE j.id = s.job_id AND j.state IN ('queued', 'running')
