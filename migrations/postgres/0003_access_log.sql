-- Who read which case, and what of it (issue 5): kept apart from the events because reading
-- changes nothing in the process, and apart from the hash chain because it is written in
-- batches after the answer, not as part of any command. Rows are only ever added.
CREATE TABLE access_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    accessed_at   TIMESTAMPTZ NOT NULL,
    partnership   TEXT        NOT NULL,
    case_id       UUID        NOT NULL,
    -- What was read: case, deadlines, audit_trail, personal_details or access_log.
    resource      TEXT        NOT NULL,
    user_id       TEXT        NOT NULL,
    user_name     TEXT        NOT NULL,
    organisation  TEXT        NOT NULL,
    -- Role names, as in the token.
    roles         TEXT[]      NOT NULL,
    -- The as_of the reader asked for, if any: reading history is still reading.
    as_of         TIMESTAMPTZ,
    request_id    TEXT        NOT NULL
);

CREATE INDEX access_log_by_case ON access_log (partnership, case_id, id);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$;

CREATE TRIGGER access_log_no_update_or_delete BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();

CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
