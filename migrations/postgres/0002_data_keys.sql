-- Keys that seal personal data inside events (crypto-shredding). Events hold only ciphertext;
-- erasing a key here makes that data unreadable for ever without changing any event, so the
-- log and its hash chain stay intact when a person's details must be erased.
CREATE TABLE data_keys (
    key_id     UUID        PRIMARY KEY,
    -- 32-byte AES-256 key; NULL once erased (the row stays, recording that it was erased).
    key        BYTEA       CHECK (key IS NULL OR octet_length(key) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    erased_at  TIMESTAMPTZ
);
