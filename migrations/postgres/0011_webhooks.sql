-- Webhook subscriptions and their deliveries (issue 14). Not events: a subscription is an
-- organisation's delivery settings and the durable cursor of what it has been sent, which the
-- delivering replica moves after every delivery. No secret is stored: each subscription's
-- signing secret is derived from a key-encryption key kept outside the database (named here by
-- its id) and the secret's generation, so a copy of the database cannot sign a message.
CREATE TABLE webhook_subscriptions (
    id                   UUID        PRIMARY KEY,
    partnership          TEXT        NOT NULL,
    organisation         TEXT        NOT NULL,
    url                  TEXT        NOT NULL,
    -- JSON array of integration event types; empty: every type.
    event_types          TEXT        NOT NULL,
    description          TEXT,
    created_by           TEXT        NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    secret_kek_id        TEXT        NOT NULL,
    secret_generation    INTEGER     NOT NULL,
    -- The secret before the last rotation, still signing until the time given.
    previous_kek_id      TEXT,
    previous_generation  INTEGER,
    previous_valid_until TIMESTAMPTZ,
    -- After which feed item (`position` or `position.index`) delivery goes on.
    cursor               TEXT        NOT NULL,
    -- active | dead_letter
    status               TEXT        NOT NULL,
    -- Failed attempts at the item after the cursor.
    attempts             INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ,
    last_error           TEXT,
    deleted_at           TIMESTAMPTZ
);

CREATE INDEX webhook_subscriptions_by_partnership ON webhook_subscriptions (partnership, created_at);

-- Every attempt to deliver a message: what an administrator reads to see why a receiver fails.
CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id UUID        NOT NULL REFERENCES webhook_subscriptions (id),
    message_id      TEXT        NOT NULL,
    event_type      TEXT        NOT NULL,
    attempt         INTEGER     NOT NULL,
    attempted_at    TIMESTAMPTZ NOT NULL,
    -- delivered | failed | dead_letter
    outcome         TEXT        NOT NULL,
    status_code     INTEGER,
    latency_ms      BIGINT      NOT NULL,
    error           TEXT
);

CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id);

-- Which replica delivers: the holder of the lease, renewed while it runs.
CREATE TABLE webhook_lease (
    name       TEXT        PRIMARY KEY,
    holder     TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
