-- The event log: the system of record, the audit trail and the evidence.
CREATE TABLE events (
    -- Global position, gap-free from 1. Assigned by the writer that holds the advisory lock,
    -- never by a sequence: a sequence leaves holes on rollback and hands out numbers in an
    -- order that need not be the commit order, so a tailing reader could skip an event.
    position       BIGINT      PRIMARY KEY CHECK (position > 0),
    stream_id      TEXT        NOT NULL CHECK (length(stream_id) > 0),
    stream_version BIGINT      NOT NULL CHECK (stream_version > 0),
    -- UNIQUE gives the index that idempotency look-ups use.
    event_id       UUID        NOT NULL UNIQUE,
    event_type     TEXT        NOT NULL,
    schema_version INTEGER     NOT NULL,
    -- JSONB so that operators can query payloads; the hash covers the canonical JSON of the
    -- value (keys sorted), which JSONB's own key order and whitespace do not affect.
    data           JSONB       NOT NULL,
    metadata       JSONB       NOT NULL,
    -- Microsecond precision, the same as the RFC 3339 string the hash covers.
    recorded_at    TIMESTAMPTZ NOT NULL,
    prev_hash      BYTEA       NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash           BYTEA       NOT NULL CHECK (octet_length(hash) = 32),
    -- One event per stream version: the last line of defence for expected-version checks,
    -- and the index that reads a stream and finds its current version.
    UNIQUE (stream_id, stream_version)
);

-- Events are never updated or deleted: history is corrected by appending, and an edited row
-- would silently break the hash chain that proves the log is intact.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;

CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
