-- Signals of one type in (since, until]. $1 tenant_id, $2 type, $3 since, $4 until,
-- $5 agent ids text[] (null: every agent), $6 sending domain (null: every domain)
SELECT count(*)::int AS n FROM delivery_signals
WHERE tenant_id = $1 AND type = $2 AND occurred_at > $3 AND occurred_at <= $4
  AND ($5::text[] IS NULL OR agent_id = ANY($5::text[]))
  AND ($6::text IS NULL OR lower(domain) = lower($6))
