-- Locks approvals of one tenant for a decision. Ordered by id so two batches naming the same
-- approvals lock them in the same order and never deadlock.
-- $1 tenant_id (text), $2 ids (text[])
SELECT * FROM approvals WHERE tenant_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE
