-- Audit retention and the SIEM stream (docs/operations.md, security).
--
-- Retention: events older than the policy's `audit.retention_days` are written to a signed JSONL
-- archive, then removed behind a tombstone event. audit_retention_remove() is the only way past
-- the append-only trigger, and it removes only what the chain's head — the tombstone, appended
-- in the same transaction — says was archived. It is NOT granted to the runtime role: with
-- DATABASE_MIGRATION_URL the removal runs as the schema owner, so the server's everyday role
-- still cannot delete a single audit row (server/test/db/runtime-role.pg.test.ts).
--
-- The stream: audit_stream_cursors holds, per tenant, the seq of the last event the SIEM
-- acknowledged; a lease keeps two processes from sending the same batch at once.

CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Set (transaction-local) only by audit_retention_remove; whoever may DELETE at all owns the
  -- table and could disable the trigger anyway, and verify() still checks what is left.
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events'
     AND current_setting('tollgate.audit_retention', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- audit_retention_remove(p_tenant, p_through, p_through_hash): removes the tenant's events with
-- seq <= p_through, once the chain head is the tombstone naming exactly that seq and hash.
-- Returns how many rows it removed.
CREATE OR REPLACE FUNCTION audit_retention_remove(p_tenant text, p_through bigint, p_through_hash text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_head jsonb;
  v_n    bigint;
BEGIN
  SELECT e.event INTO v_head FROM audit_heads h
    JOIN audit_events e ON e.tenant_id = h.tenant_id AND e.seq = h.seq
    WHERE h.tenant_id = p_tenant FOR UPDATE OF h;
  IF v_head IS NULL OR v_head->>'action' IS DISTINCT FROM 'audit_retention'
     OR (v_head->'evidence'->'tombstone'->>'through_seq')::bigint IS DISTINCT FROM p_through
     OR v_head->'evidence'->'tombstone'->>'through_hash' IS DISTINCT FROM p_through_hash THEN
    RAISE EXCEPTION 'audit_retention_remove: the chain head is not the tombstone for seq %', p_through;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_events WHERE tenant_id = p_tenant AND seq = p_through AND hash = p_through_hash) THEN
    RAISE EXCEPTION 'audit_retention_remove: no event at seq % with that hash', p_through;
  END IF;
  PERFORM set_config('tollgate.audit_retention', 'on', true);
  DELETE FROM audit_events WHERE tenant_id = p_tenant AND seq <= p_through;
  GET DIAGNOSTICS v_n = ROW_COUNT;
  PERFORM set_config('tollgate.audit_retention', 'off', true);
  RETURN v_n;
END $$;
REVOKE EXECUTE ON FUNCTION audit_retention_remove(text, bigint, text) FROM PUBLIC;

CREATE TABLE IF NOT EXISTS audit_stream_cursors (
  tenant_id    text PRIMARY KEY,
  seq          bigint NOT NULL DEFAULT 0,
  lease_owner  text,
  lease_until  timestamptz,
  failures     int NOT NULL DEFAULT 0,
  next_at      timestamptz,           -- after a failure: not before (backoff)
  last_error   text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
