-- Claims an idempotency key for one request, or takes over a claim left pending longer than
-- $7 seconds (the request that made it crashed). Returns a row only when this request now holds
-- the claim; otherwise read the row with select-request.
-- $1 tenant_id, $2 agent_id, $3 idempotency_key, $4 approval_id ('' for none), $5 request_hash,
-- $6 now (timestamptz), $7 stale_after_seconds (int)
INSERT INTO action_requests (tenant_id, agent_id, idempotency_key, approval_id, request_hash, state, claimed_at)
VALUES ($1, $2, $3, $4, $5, 'pending', $6)
ON CONFLICT (tenant_id, agent_id, idempotency_key, approval_id) DO UPDATE
   SET request_hash = EXCLUDED.request_hash, claimed_at = EXCLUDED.claimed_at
 WHERE action_requests.state = 'pending'
   AND action_requests.claimed_at < EXCLUDED.claimed_at - make_interval(secs => $7::int)
RETURNING request_hash
