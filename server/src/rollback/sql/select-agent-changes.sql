-- The changes agents made in the CRM, newest first: allowed direct writes (audit `field_write`
-- by an agent, outcome allow), and writes Tollgate made for an agent — proposals it applied and
-- actions it executed (`crm_writes` purpose apply or agent_action, done) — named by the event
-- that caused them. A decision whose write Tollgate carried out counts once, as that write. Observed human edits,
-- denied (reverted) writes and
-- changes a live rollback item already undoes are left out.
-- $1 tenant_id text; $2 event ids text[] (NULL: any; an apply also matches its crm_write event
-- and, when a person approved it, the proposal the approval followed);
-- $3 run_id text; $4 agent_id text; $5 from timestamptz (inclusive); $6 to timestamptz
-- (exclusive); $7 last N integer (NULL: all). NULL leaves a filter out.
WITH direct AS (
  SELECT e.event_id, 'direct'::text AS kind, e.agent_id, e.run_id, e.event->>'crm' AS crm, e.object_type, e.object_id,
         d->>'field' AS field, false AS before_known, NULL::text AS before, d->>'after' AS after, e.occurred_at, e.id AS ord
    FROM audit_events e
   CROSS JOIN LATERAL jsonb_array_elements(e.event->'field_diffs') AS d
   WHERE e.tenant_id = $1 AND e.outcome = 'allow' AND e.agent_id IS NOT NULL AND e.event->>'action' = 'field_write'
     AND ($2::text[] IS NULL OR e.event_id = ANY($2::text[]))
     AND ($3::text IS NULL OR e.run_id = $3)
     AND ($4::text IS NULL OR e.agent_id = $4)
     AND ($5::timestamptz IS NULL OR e.occurred_at >= $5)
     AND ($6::timestamptz IS NULL OR e.occurred_at < $6)
     AND NOT EXISTS (SELECT 1 FROM crm_writes x WHERE x.caused_by = e.event_id AND x.purpose IN ('apply', 'agent_action'))
), applied AS (
  SELECT p.event_id, 'applied'::text AS kind, w.agent_id, p.run_id, w.crm, w.object_type, w.object_id,
         kv.key AS field, coalesce(w.expected ? kv.key, false) AS before_known, w.expected->>kv.key AS before, kv.value AS after,
         p.occurred_at, p.id AS ord
    FROM crm_writes w
    JOIN audit_events p ON p.event_id = w.caused_by AND p.tenant_id = w.tenant_id
   CROSS JOIN LATERAL jsonb_each_text(w.properties) AS kv
   WHERE w.tenant_id = $1 AND w.purpose IN ('apply', 'agent_action') AND w.status = 'done' AND w.agent_id IS NOT NULL
     AND ($2::text[] IS NULL OR p.event_id = ANY($2::text[]) OR w.result_event_id = ANY($2::text[]) OR p.event->>'caused_by' = ANY($2::text[]))
     AND ($3::text IS NULL OR p.run_id = $3)
     AND ($4::text IS NULL OR w.agent_id = $4)
     AND ($5::timestamptz IS NULL OR p.occurred_at >= $5)
     AND ($6::timestamptz IS NULL OR p.occurred_at < $6)
), changes AS (
  SELECT * FROM direct UNION ALL SELECT * FROM applied
)
SELECT c.* FROM changes c
 WHERE c.field IS NOT NULL
   AND NOT EXISTS (
     SELECT 1 FROM rollback_items ri
      WHERE ri.tenant_id = $1 AND ri.event_ids @> ARRAY[c.event_id] AND ri.field = c.field AND ri.state IN ('pending', 'done'))
 ORDER BY c.occurred_at DESC, c.ord DESC
 LIMIT $7
