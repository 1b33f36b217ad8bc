-- The event log: the system of record, the audit trail and the evidence.
--
-- STRICT so that SQLite rejects a value of the wrong type instead of silently storing it with
-- another affinity: a row that reads back differently would break the hash chain.
CREATE TABLE events (
    -- Global position, gap-free from 1. Assigned by the single writer inside its
    -- `BEGIN IMMEDIATE` transaction, never by AUTOINCREMENT, so a failed transaction leaves no
    -- hole and readers see positions in order. INTEGER PRIMARY KEY makes it the rowid.
    position       INTEGER PRIMARY KEY CHECK (position > 0),
    stream_id      TEXT    NOT NULL CHECK (length(stream_id) > 0),
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    -- Hyphenated lowercase UUID text, readable with the sqlite3 shell. UNIQUE gives the
    -- index that idempotency look-ups use.
    event_id       TEXT    NOT NULL UNIQUE CHECK (length(event_id) = 36),
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    -- Canonical JSON text (keys sorted, compact): the same bytes the hash covers.
    data           TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    -- RFC 3339 in UTC with microseconds and 'Z' (2025-01-31T09:30:00.123456Z): the exact
    -- string the hash covers, and it sorts chronologically as text.
    recorded_at    TEXT    NOT NULL CHECK (length(recorded_at) = 27),
    prev_hash      BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash           BLOB    NOT NULL CHECK (length(hash) = 32),
    -- One event per stream version: the last line of defence for expected-version checks,
    -- and the index that reads a stream and finds its current version.
    UNIQUE (stream_id, stream_version)
) STRICT;

-- Events are never updated or deleted: history is corrected by appending, and an edited row
-- would silently break the hash chain that proves the log is intact.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
