-- Who read which case, and what of it (issue 5): kept apart from the events because reading
-- changes nothing in the process, and apart from the hash chain because it is written in
-- batches after the answer, not as part of any command. Rows are only ever added.
CREATE TABLE access_log (
    -- Monotonic: AUTOINCREMENT never reuses an id, so a cursor never skips or repeats a row.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- RFC 3339 UTC with microseconds, sortable as text.
    accessed_at   TEXT NOT NULL,
    partnership   TEXT NOT NULL,
    -- Hyphenated lowercase UUID text, as in the case's stream id.
    case_id       TEXT NOT NULL CHECK (length(case_id) = 36),
    -- What was read: case, deadlines, audit_trail, personal_details or access_log.
    resource      TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    -- JSON array of role names, as in the token.
    roles         TEXT NOT NULL,
    -- The as_of the reader asked for, if any: reading history is still reading.
    as_of         TEXT,
    request_id    TEXT NOT NULL
) STRICT;

CREATE INDEX access_log_by_case ON access_log (partnership, case_id, id);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
