-- Data keys are stored only wrapped (encrypted) by a key-encryption key (KEK) that never enters
-- the database, so a copy of the database cannot open the personal data in the events.
-- `key` held plaintext keys before this migration: the service wraps them at start-up with
-- the configured KEK and clears the column (it stays, always NULL, for older rows' history).
ALTER TABLE data_keys ADD COLUMN wrapped_key BLOB;
-- Which KEK wrapped it (an id derived from the KEK, see api/src/personal_data/kek.rs).
ALTER TABLE data_keys ADD COLUMN kek_id TEXT;
