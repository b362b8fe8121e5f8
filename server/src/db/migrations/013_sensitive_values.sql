-- Values the CRM marks sensitive (HubSpot `isSensitive`; docs/contracts.md, audit events): a write or
-- an approval of such a value remembers it, so the audit events about it (the write's outcome, the
-- approval's decisions) keep only keyed hashes of the values. The values themselves stay in these
-- rows: they are what the CRM write needs (docs/operations.md, security).
-- crm_writes: the properties (names) whose values are sensitive; approvals: the field's value is.
ALTER TABLE crm_writes ADD COLUMN IF NOT EXISTS sensitive_fields jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE approvals ADD COLUMN IF NOT EXISTS sensitive boolean NOT NULL DEFAULT false;
