-- Keys that seal personal data inside events (crypto-shredding). Events hold only ciphertext;
-- erasing a key here makes that data unreadable for ever without changing any event, so the
-- log and its hash chain stay intact when a person's details must be erased.
CREATE TABLE data_keys (
    -- Hyphenated lowercase UUID text, as in events.event_id.
    key_id     TEXT PRIMARY KEY CHECK (length(key_id) = 36),
    -- 32-byte AES-256 key; NULL once erased (the row stays, recording that it was erased).
    key        BLOB CHECK (key IS NULL OR length(key) = 32),
    created_at TEXT NOT NULL,
    erased_at  TEXT
) STRICT;
