//! What a backup holds, table by table, and the SQL that reads a table's rows as portable JSON
//! and writes them back, on each backend. The rows travel as JSON in one form for both
//! backends (timestamps RFC 3339 with microseconds in UTC, bytes in lowercase hex, ids as
//! text), so a backup of one backend restores into the other.

/// How a column is stored, and so how it is written in a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Int,
    /// Bytes, as lowercase hex.
    Blob,
    /// An instant, as RFC 3339 with microseconds in UTC (SQLite stores that text).
    Time,
    /// A UUID, as text (PostgreSQL's `uuid`, SQLite's text).
    Uuid,
    /// A JSON document (PostgreSQL's `jsonb`, SQLite's text).
    Json,
    /// A list of strings (PostgreSQL's `text[]`, SQLite's JSON text).
    TextList,
}

/// One table of a backup.
#[derive(Debug)]
pub(super) struct Table {
    pub name: &'static str,
    /// The order rows are read and written in.
    pub order_by: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// PostgreSQL numbers its rows itself (`GENERATED ALWAYS AS IDENTITY`): a restore writes
    /// the backed-up numbers and then moves the sequence past them.
    pub identity: bool,
}

use Kind::{Blob, Int, Json, Text, TextList, Time, Uuid};

/// Every table that holds something a restore needs, parents before children. The webhook
/// delivery lease is left out: it names a replica of the database backed up, and a restored
/// one starts with no holder.
pub(super) const TABLES: &[Table] = &[
    Table {
        name: "events",
        order_by: "position",
        columns: &[
            ("position", Int),
            ("stream_id", Text),
            ("stream_version", Int),
            ("event_id", Uuid),
            ("event_type", Text),
            ("schema_version", Int),
            ("data", Json),
            ("metadata", Json),
            ("recorded_at", Time),
            ("prev_hash", Blob),
            ("hash", Blob),
        ],
        identity: false,
    },
    Table {
        name: "data_keys",
        order_by: "key_id",
        columns: &[
            ("key_id", Uuid),
            ("key", Blob),
            ("wrapped_key", Blob),
            ("kek_id", Text),
            ("created_at", Time),
            ("erased_at", Time),
        ],
        identity: false,
    },
    Table {
        name: "access_log",
        order_by: "id",
        columns: &[
            ("id", Int),
            ("accessed_at", Time),
            ("partnership", Text),
            ("case_id", Uuid),
            ("resource", Text),
            ("user_id", Text),
            ("user_name", Text),
            ("organisation", Text),
            ("roles", TextList),
            ("as_of", Time),
            ("request_id", Text),
        ],
        identity: true,
    },
    Table {
        name: "webhook_subscriptions",
        order_by: "id",
        columns: &[
            ("id", Uuid),
            ("partnership", Text),
            ("organisation", Text),
            ("url", Text),
            ("event_types", Text),
            ("description", Text),
            ("created_by", Text),
            ("created_at", Time),
            ("secret_kek_id", Text),
            ("secret_generation", Int),
            ("previous_kek_id", Text),
            ("previous_generation", Int),
            ("previous_valid_until", Time),
            ("cursor", Text),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Time),
            ("last_error", Text),
            ("deleted_at", Time),
        ],
        identity: false,
    },
    Table {
        name: "webhook_deliveries",
        order_by: "id",
        columns: &[
            ("id", Int),
            ("subscription_id", Uuid),
            ("message_id", Text),
            ("event_type", Text),
            ("attempt", Int),
            ("attempted_at", Time),
            ("outcome", Text),
            ("status_code", Int),
            ("latency_ms", Int),
            ("error", Text),
        ],
        identity: true,
    },
];

/// The table of this name, if a backup holds one.
pub(super) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|table| table.name == name)
}

impl Table {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(column, _)| *column)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// PostgreSQL: every row as one JSON text, in order.
    pub fn postgres_select(&self) -> String {
        let fields: Vec<String> = self
            .columns
            .iter()
            .map(|&(column, kind)| {
                let value = match kind {
                    Text | Int | Json => column.to_owned(),
                    Blob => format!("encode({column}, 'hex')"),
                    Time => format!(
                        "to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    ),
                    Uuid => format!("{column}::text"),
                    TextList => format!("to_json({column})"),
                };
                format!("'{column}', {value}")
            })
            .collect();
        format!(
            "SELECT json_build_object({})::text FROM {} ORDER BY {}",
            fields.join(", "),
            self.name,
            self.order_by
        )
    }

    /// SQLite: every row as one JSON text, in order.
    pub fn sqlite_select(&self) -> String {
        let fields: Vec<String> = self
            .columns
            .iter()
            .map(|&(column, kind)| {
                let value = match kind {
                    Text | Int | Time | Uuid => column.to_owned(),
                    // hex(NULL) is '', not NULL.
                    Blob => format!(
                        "CASE WHEN {column} IS NULL THEN NULL ELSE lower(hex({column})) END"
                    ),
                    Json | TextList => format!("json({column})"),
                };
                format!("'{column}', {value}")
            })
            .collect();
        format!(
            "SELECT json_object({}) FROM {} ORDER BY {}",
            fields.join(", "),
            self.name,
            self.order_by
        )
    }

    /// PostgreSQL: writes the rows of a JSON array (`$1`).
    pub fn postgres_insert(&self) -> String {
        let values: Vec<String> = self
            .columns
            .iter()
            .map(|&(column, kind)| match kind {
                Text => format!("r->>'{column}'"),
                Int => format!("(r->>'{column}')::bigint"),
                Blob => format!("decode(r->>'{column}', 'hex')"),
                Time => format!("(r->>'{column}')::timestamptz"),
                Uuid => format!("(r->>'{column}')::uuid"),
                Json => format!("r->'{column}'"),
                TextList => {
                    format!("ARRAY(SELECT jsonb_array_elements_text(r->'{column}'))")
                }
            })
            .collect();
        let overriding = if self.identity {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        format!(
            "INSERT INTO {} ({}){overriding} SELECT {} FROM jsonb_array_elements($1::jsonb) AS r",
            self.name,
            self.column_list(),
            values.join(", ")
        )
    }

    /// SQLite: writes the rows of a JSON array (`?1`).
    pub fn sqlite_insert(&self) -> String {
        let values: Vec<String> = self
            .columns
            .iter()
            .map(|&(column, kind)| match kind {
                Blob => format!("unhex(json_extract(j.value, '$.{column}'))"),
                // An object or array comes out as its JSON text, as SQLite stores it.
                _ => format!("json_extract(j.value, '$.{column}')"),
            })
            .collect();
        format!(
            "INSERT INTO {} ({}) SELECT {} FROM json_each(?1) AS j",
            self.name,
            self.column_list(),
            values.join(", ")
        )
    }

    /// PostgreSQL: after a restore, the next number its sequence gives is past every row.
    pub fn postgres_sequence_reset(&self) -> Option<String> {
        self.identity.then(|| {
            format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {0}",
                self.name
            )
        })
    }
}
