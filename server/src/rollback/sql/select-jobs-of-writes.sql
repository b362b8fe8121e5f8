-- The unfinished jobs some of these writes belong to. $1 write ids text[]
SELECT DISTINCT i.job_id FROM rollback_items i JOIN rollback_jobs j ON j.id = i.job_id
 WHERE i.write_id = ANY($1::text[]) AND j.state IN ('queued', 'running')
