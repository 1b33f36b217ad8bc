-- One batch of the event store's writer in one call, hence one round trip: a store append
-- costs one statement where a raw insert transaction costs three (BEGIN, INSERT, COMMIT).
--
-- The writer plans a batch on what it knew after its last commit (the end of the hash chain,
-- stream versions) and computes the hashes itself. This function takes the append lock and
-- inserts the rows only if the log still ends where the plan assumed; otherwise it writes
-- nothing and returns false, and the writer reads the log under the lock and plans again.
-- While the log ends at the same event, nobody has appended since, so the stream versions
-- the writer learned up to that event still hold; only versions it guessed for streams it
-- did not know are read here.

-- A new row of `events`, as the writer sends it: one array parameter costs the server far
-- less than one array per column.
CREATE TYPE events_row AS (
    position       BIGINT,
    stream_id      TEXT,
    stream_version BIGINT,
    event_id       UUID,
    event_type     TEXT,
    schema_version INTEGER,
    data           JSONB,
    metadata       JSONB,
    recorded_at    TIMESTAMPTZ,
    prev_hash      BYTEA,
    hash           BYTEA
);

-- VOLATILE (the default) matters: under READ COMMITTED each statement of a volatile function
-- takes a new snapshot, so the statements after the lock see every batch committed before
-- it was granted, by any process. The lock is held until the calling transaction commits.
--
-- Plans are made once per connection and kept (force_generic_plan) because planning cost more
-- than running these statements. A plan made while the table was nearly empty would scan it
-- whole and keep doing so as it grows; enable_seqscan = off keeps every look-up on its index.
CREATE FUNCTION events_append(
    lock_key         BIGINT,
    channel          TEXT,
    -- The end of the chain the rows extend: 0 and NULL for an empty log.
    head_position    BIGINT,
    head_hash        BYTEA,
    -- Streams the writer did not know, and the version it took each one to be at (0: new).
    guessed_streams  TEXT[],
    guessed_versions BIGINT[],
    -- The batch's event ids the plan took to be new: a retry is answered from stored rows.
    new_ids          UUID[],
    -- The rows, in position order.
    new_rows         events_row[]
) RETURNS BOOLEAN LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    last_position BIGINT;
    last_hash     BYTEA;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.position, e.hash INTO last_position, last_hash
        FROM events e ORDER BY e.position DESC LIMIT 1;
    IF COALESCE(last_position, 0) <> head_position OR last_hash IS DISTINCT FROM head_hash THEN
        RETURN FALSE;
    END IF;
    IF cardinality(guessed_streams) > 0 AND EXISTS (
        SELECT 1 FROM unnest(guessed_streams, guessed_versions) AS s(stream_id, version)
        WHERE COALESCE((SELECT e.stream_version FROM events e WHERE e.stream_id = s.stream_id
                        ORDER BY e.stream_version DESC LIMIT 1), 0) <> s.version
    ) THEN
        RETURN FALSE;
    END IF;
    IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (new_ids)) THEN
        RETURN FALSE;
    END IF;
    INSERT INTO events (position, stream_id, stream_version, event_id, event_type,
                        schema_version, data, metadata, recorded_at, prev_hash, hash)
        SELECT r.position, r.stream_id, r.stream_version, r.event_id, r.event_type,
               r.schema_version, r.data, r.metadata, r.recorded_at, r.prev_hash, r.hash
        FROM unnest(new_rows) AS r;
    IF cardinality(new_rows) > 0 THEN
        -- Delivered to listeners only when the transaction commits.
        PERFORM pg_notify(channel, (new_rows[cardinality(new_rows)]).position::TEXT);
    END IF;
    RETURN TRUE;
END;
$$;
