-- Moves or assigns one exception and appends a note. $1 tenant_id, $2 id, $3 state, $4 owner,
-- $5 note (JSON text), $6 at timestamptz
UPDATE exceptions SET
  state = $3,
  owner = $4,
  notes = notes || jsonb_build_array($5::jsonb),
  reviewed_at = CASE WHEN $3 = 'reviewing' AND reviewed_at IS NULL THEN $6::timestamptz ELSE reviewed_at END,
  remediated_at = CASE WHEN $3 = 'remediated' THEN $6::timestamptz ELSE remediated_at END,
  closed_at = CASE WHEN $3 = 'closed' THEN $6::timestamptz ELSE NULL END,
  updated_at = $6
 WHERE tenant_id = $1 AND id = $2
RETURNING *
