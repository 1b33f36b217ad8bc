//! The access log in PostgreSQL.

use super::{AccessLogStore, AccessQuery, AccessRecord, LoggedAccess};
use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use uuid::Uuid;

/// The access log table of a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresAccessLog {
    pool: PgPool,
}

impl PostgresAccessLog {
    /// Connects to the database at a `postgres:` URL (migrated by the event store).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
        Ok(Self { pool })
    }
}

fn logged(row: &PgRow) -> Result<LoggedAccess, StoreError> {
    let id: i64 = row.try_get("id")?;
    Ok(LoggedAccess {
        id: u64::try_from(id).map_err(|_| StoreError::CorruptAccessLog("access log id".into()))?,
        record: AccessRecord {
            accessed_at: row.try_get("accessed_at")?,
            partnership: row.try_get("partnership")?,
            case_id: row.try_get("case_id")?,
            resource: row.try_get("resource")?,
            user_id: row.try_get("user_id")?,
            user_name: row.try_get("user_name")?,
            organisation: row.try_get("organisation")?,
            roles: row.try_get("roles")?,
            as_of: row.try_get("as_of")?,
            request_id: row.try_get("request_id")?,
        },
    })
}

#[async_trait]
impl AccessLogStore for PostgresAccessLog {
    async fn append(&self, records: &[AccessRecord]) -> Result<(), StoreError> {
        // One statement of ten arrays, whatever the batch size: PostgreSQL parses and plans
        // it once per batch, where a multi-row VALUES list of ten parameters a row cost the
        // server more to parse than to insert.
        let mut columns = Columns::with_capacity(records.len());
        for r in records {
            columns.push(r);
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO access_log (accessed_at, partnership, case_id, resource, user_id, \
             user_name, organisation, roles, as_of, request_id) \
             SELECT a, p, c, r, u, n, o, ro::text[], s, q \
             FROM UNNEST($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[], \
                         $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[]) \
                  AS t(a, p, c, r, u, n, o, ro, s, q)",
        )
        .bind(columns.accessed_at)
        .bind(columns.partnership)
        .bind(columns.case_id)
        .bind(columns.resource)
        .bind(columns.user_id)
        .bind(columns.user_name)
        .bind(columns.organisation)
        .bind(columns.roles)
        .bind(columns.as_of)
        .bind(columns.request_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn read_case(&self, query: &AccessQuery) -> Result<Vec<LoggedAccess>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM access_log WHERE partnership = $1 AND case_id = $2 AND id > $3 \
             AND ($4::timestamptz IS NULL OR accessed_at >= $4) \
             AND ($5::timestamptz IS NULL OR accessed_at < $5) \
             ORDER BY id LIMIT $6",
        )
        .bind(&query.partnership)
        .bind(query.case_id)
        .bind(i64::try_from(query.after_id).unwrap_or(i64::MAX))
        .bind(query.from)
        .bind(query.to)
        .bind(i64::try_from(query.limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(logged).collect()
    }
}

/// A batch of records as one array per column, for `UNNEST`.
#[derive(Default)]
struct Columns {
    accessed_at: Vec<DateTime<Utc>>,
    partnership: Vec<String>,
    case_id: Vec<Uuid>,
    resource: Vec<String>,
    user_id: Vec<String>,
    user_name: Vec<String>,
    organisation: Vec<String>,
    /// Each record's roles as an array literal (`UNNEST` cannot take an array of arrays of
    /// different lengths); cast back to `text[]` in the statement.
    roles: Vec<String>,
    as_of: Vec<Option<DateTime<Utc>>>,
    request_id: Vec<String>,
}

impl Columns {
    fn with_capacity(n: usize) -> Self {
        Self {
            accessed_at: Vec::with_capacity(n),
            partnership: Vec::with_capacity(n),
            case_id: Vec::with_capacity(n),
            resource: Vec::with_capacity(n),
            user_id: Vec::with_capacity(n),
            user_name: Vec::with_capacity(n),
            organisation: Vec::with_capacity(n),
            roles: Vec::with_capacity(n),
            as_of: Vec::with_capacity(n),
            request_id: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, r: &AccessRecord) {
        self.accessed_at.push(r.accessed_at);
        self.partnership.push(r.partnership.clone());
        self.case_id.push(r.case_id);
        self.resource.push(r.resource.clone());
        self.user_id.push(r.user_id.clone());
        self.user_name.push(r.user_name.clone());
        self.organisation.push(r.organisation.clone());
        self.roles.push(array_literal(&r.roles));
        self.as_of.push(r.as_of);
        self.request_id.push(r.request_id.clone());
    }
}

/// A `text[]` literal of any strings: each quoted, with `"` and `\` escaped.
fn array_literal(items: &[String]) -> String {
    let mut literal = String::from("{");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            literal.push(',');
        }
        literal.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                literal.push('\\');
            }
            literal.push(c);
        }
        literal.push('"');
    }
    literal.push('}');
    literal
}

#[cfg(test)]
mod tests {
    #[test]
    fn array_literals_quote_every_item() {
        let items = [
            "notifier",
            "a,b",
            "say \"hi\"",
            "back\\slash",
            "NULL",
            "{x}",
        ];
        let items: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            super::array_literal(&items),
            r#"{"notifier","a,b","say \"hi\"","back\\slash","NULL","{x}"}"#
        );
        assert_eq!(super::array_literal(&[]), "{}");
    }
}
