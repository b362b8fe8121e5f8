-- The kill-switch cache's generation (killswitch/kill-switch-cache.ts) lives here, not in Redis:
-- every change of a tenant's switches moves it on in the same transaction, and a cache rebuild
-- carries the generation it read. A rebuild older than what Redis holds is refused, and a Redis
-- that lost everything cannot take a stale rebuild for a new one (docs/operations.md).
CREATE TABLE IF NOT EXISTS kill_switch_generations (
  tenant_id   text PRIMARY KEY,
  generation  bigint NOT NULL
);
