-- Copies the final status of each item's write onto the item.
-- $1 job ids text[]
UPDATE rollback_items i SET state = w.status, error = w.last_error
  FROM crm_writes w
 WHERE w.id = i.write_id AND i.job_id = ANY($1::text[]) AND i.state = 'pending' AND w.status IN ('done', 'failed', 'skipped')
