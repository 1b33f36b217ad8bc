-- Webhook subscriptions and their deliveries (issue 14). Not events: a subscription is an
-- organisation's delivery settings and the durable cursor of what it has been sent, which the
-- delivering replica moves after every delivery. No secret is stored: each subscription's
-- signing secret is derived from a key-encryption key kept outside the database (named here by
-- its id) and the secret's generation, so a copy of the database cannot sign a message.
-- Instants are RFC 3339 UTC text with microseconds, sortable as text.
CREATE TABLE webhook_subscriptions (
    id                   TEXT    PRIMARY KEY CHECK (length(id) = 36),
    partnership          TEXT    NOT NULL,
    organisation         TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    -- JSON array of integration event types; empty: every type.
    event_types          TEXT    NOT NULL,
    description          TEXT,
    created_by           TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    secret_kek_id        TEXT    NOT NULL,
    secret_generation    INTEGER NOT NULL,
    previous_kek_id      TEXT,
    previous_generation  INTEGER,
    previous_valid_until TEXT,
    cursor               TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TEXT,
    last_error           TEXT,
    deleted_at           TEXT
) STRICT;

CREATE INDEX webhook_subscriptions_by_partnership ON webhook_subscriptions (partnership, created_at);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT    NOT NULL REFERENCES webhook_subscriptions (id),
    message_id      TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    attempted_at    TEXT    NOT NULL,
    outcome         TEXT    NOT NULL,
    status_code     INTEGER,
    latency_ms      INTEGER NOT NULL,
    error           TEXT
) STRICT;

CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, id);

CREATE TABLE webhook_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
