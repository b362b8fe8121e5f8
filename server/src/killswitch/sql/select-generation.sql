-- A tenant's switch generation, read before its switches: a rebuild may pair a newer state with
-- an older generation (harmless), never an older state with a newer generation.
-- $1 tenant_id
SELECT generation::text AS generation FROM kill_switch_generations WHERE tenant_id = $1
