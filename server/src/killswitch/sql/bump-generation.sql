-- Moves a tenant's switch generation on (inside the change's transaction) and returns it.
-- $1 tenant_id
INSERT INTO kill_switch_generations (tenant_id, generation) VALUES ($1, 1)
ON CONFLICT (tenant_id) DO UPDATE SET generation = kill_switch_generations.generation + 1
RETURNING generation::text AS generation
