-- A receipt keeps its batch's JSON (~25 kB for 100 events) and PostgreSQL compresses it on
-- insert, on the intake's path. lz4 does that at about a third of pglz's CPU (bench/webhook-ingest.ts,
-- docs/operations.md). Only on servers built with lz4 (PGlite is not); elsewhere pglz stays.
DO $$
BEGIN
  ALTER TABLE webhook_receipts ALTER COLUMN job SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
