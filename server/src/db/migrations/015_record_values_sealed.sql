-- Observed values the CRM marks sensitive are kept sealed (AES-GCM under TOLLGATE_ENCRYPTION_KEY)
-- rather than in clear (docs/operations.md#security): a revert still needs the value itself, so it
-- cannot be hashed. `sealed` says the row's `value` is a ciphertext to open before use.
ALTER TABLE record_values ADD COLUMN IF NOT EXISTS sealed boolean NOT NULL DEFAULT false;
