-- When each (kind, value) was first seen by the tenant. $1 tenant_id, $2 kinds text[], $3 values text[]
SELECT s.kind, s.value, s.first_seen_at FROM qa_seen s
  JOIN unnest($2::text[], $3::text[]) AS q(kind, value) ON q.kind = s.kind AND q.value = s.value
 WHERE s.tenant_id = $1
