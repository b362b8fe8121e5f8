-- Reverts of direct agent writes refused since a switch turned on, by status: the backstop's
-- work on what agents still wrote. $3 null = every agent of the tenant.
-- $1 tenant_id, $2 since, $3 agent ids (text[] or null)
SELECT count(*) FILTER (WHERE w.status IN ('pending', 'in_flight'))::int AS pending,
       count(*) FILTER (WHERE w.status = 'done')::int AS done,
       count(*) FILTER (WHERE w.status IN ('failed', 'skipped'))::int AS settled_otherwise
FROM crm_writes w JOIN audit_events a ON a.event_id = w.caused_by AND a.tenant_id = w.tenant_id
WHERE w.tenant_id = $1 AND w.purpose = 'revert' AND w.created_at >= $2
  AND ($3::text[] IS NULL OR a.event->'actor'->>'id' = ANY ($3))
