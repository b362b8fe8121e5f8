-- Duplicate sends the gate refused (risk flag duplicate_send), and agent writes to a stage field
-- (lifecycle stage, lead status, deal or opportunity stage) the policy did not allow: each a
-- stage-integrity violation the webhook path reverted or the gate refused. $1 tenant_id, $2 from, $3 to
SELECT
  count(*) FILTER (WHERE e.event->'risk_flags' ? 'duplicate_send')::int AS duplicates_refused,
  count(*) FILTER (WHERE e.outcome NOT IN ('allow', 'observed', 'needs_approval')
    AND e.event->'field_diffs'->0->>'field' IN ('lifecyclestage', 'hs_lead_status', 'dealstage', 'Status', 'StageName'))::int AS stage_violations
  FROM audit_events e
 WHERE e.tenant_id = $1 AND e.agent_id IS NOT NULL
   AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
