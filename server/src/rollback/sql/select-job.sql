-- One job with the restores the write queue skipped. $1 tenant_id, $2 job id
SELECT j.*,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
                   'eventId', i.event_ids[array_length(i.event_ids, 1)], 'objectType', i.object_type, 'objectId', i.object_id,
                   'field', i.field, 'current', NULL, 'expected', i.expected, 'changedBy', NULL, 'reason', i.error) ORDER BY i.id)
                   FROM rollback_items i WHERE i.job_id = j.id AND i.state = 'skipped'), '[]'::jsonb) AS skipped_items
  FROM rollback_jobs j WHERE j.tenant_id = $1 AND j.id = $2
