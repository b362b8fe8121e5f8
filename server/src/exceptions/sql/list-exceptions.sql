-- A tenant's exceptions, newest first. $1 tenant_id; $2 state (NULL: any); $3 overdue boolean
-- (NULL: either; true: past an SLA deadline at $4; false: within them); $4 now timestamptz;
-- $5 owner (NULL: any); $6 limit
SELECT * FROM exceptions
 WHERE tenant_id = $1
   AND ($2::text IS NULL OR state = $2)
   AND ($3::boolean IS NULL OR ((state = 'open' AND review_due_at < $4::timestamptz)
                                OR (state IN ('open', 'reviewing') AND remediate_due_at < $4::timestamptz)) = $3)
   AND ($5::text IS NULL OR owner = $5)
 ORDER BY created_at DESC, id
 LIMIT $6
