-- The runtime role (docs/contracts.md DATABASE_MIGRATION_URL, docs/operations.md, security): when a
-- separate role owns the schema and runs these migrations, DATABASE_URL's role gets only what
-- the running server needs. For the audit that is: read, and append through audit_append /
-- audit_append_one, which run as the schema owner (SECURITY DEFINER) and keep the chain's
-- guards. It owns no table, so it cannot ALTER one, disable a trigger or TRUNCATE; it has no
-- INSERT, UPDATE or DELETE on audit_events or audit_heads, and only INSERT on
-- audit_checkpoints (whose triggers refuse UPDATE and DELETE whoever asks).

ALTER FUNCTION audit_insert_event(text, bigint, text, text, text) SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION audit_append_one(text, text, text) SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION audit_append(text, text[], text[]) SECURITY DEFINER SET search_path FROM CURRENT;
-- Functions that run as the owner are not for everyone: only the owner and the runtime role.
REVOKE EXECUTE ON FUNCTION audit_insert_event(text, bigint, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION audit_append_one(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION audit_append(text, text[], text[]) FROM PUBLIC;

-- tollgate_grant_runtime(p_role): run by the migration role after migrating (and again after
-- every migration, so new tables are covered). Idempotent.
CREATE OR REPLACE FUNCTION tollgate_grant_runtime(p_role text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s text := current_schema();
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, p_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, p_role);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, p_role);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I.audit_events, %I.audit_heads FROM %I', s, s, p_role);
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I.audit_checkpoints FROM %I', s, p_role);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I.schema_migrations FROM %I', s, p_role);
  EXECUTE format('GRANT EXECUTE ON FUNCTION %I.audit_append_one(text, text, text) TO %I', s, p_role);
  EXECUTE format('GRANT EXECUTE ON FUNCTION %I.audit_append(text, text[], text[]) TO %I', s, p_role);
END $$;
REVOKE EXECUTE ON FUNCTION tollgate_grant_runtime(text) FROM PUBLIC;
