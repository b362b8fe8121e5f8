-- Records a decision on one approval. approved_by is the whole new list; rejected_by and
-- reject_reason are kept when NULL is passed.
-- $1 tenant_id (text), $2 id (text), $3 status (text), $4 approved_by (jsonb text),
-- $5 rejected_by (text|null), $6 reject_reason (text|null), $7 updated_at (timestamptz)
UPDATE approvals
   SET status = $3, approved_by = $4::jsonb, rejected_by = COALESCE($5, rejected_by),
       reject_reason = COALESCE($6, reject_reason), updated_at = $7::timestamptz
 WHERE tenant_id = $1 AND id = $2
