-- Records a review. $1 tenant_id, $2 id, $3 verdict, $4 scorecard (JSON text), $5 reviewer, $6 notes,
-- $7 review_event_id, $8 reviewed_at
UPDATE qa_items SET state = 'reviewed', verdict = $3, scorecard = $4::jsonb, reviewer = $5, notes = $6, review_event_id = $7, reviewed_at = $8
 WHERE tenant_id = $1 AND id = $2
RETURNING *
