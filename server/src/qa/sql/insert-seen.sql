-- Remembers the first sighting of each (kind, value). $1 tenant_id, $2 kinds text[], $3 values text[], $4 at
-- timestamptz
INSERT INTO qa_seen (tenant_id, kind, value, first_seen_at)
SELECT $1, q.kind, q.value, $4 FROM unnest($2::text[], $3::text[]) AS q(kind, value)
ON CONFLICT (tenant_id, kind, value) DO NOTHING
