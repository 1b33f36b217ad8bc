//! The access log in SQLite.

use super::{AccessLogStore, AccessQuery, AccessRecord, LoggedAccess};
use crate::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite};
use std::str::FromStr;
use std::time::Duration;

/// Rows per INSERT: 10 bound values each, well under SQLite's limit of 32,766.
const ROWS_PER_INSERT: usize = 1_000;

/// The access log table of a SQLite database.
#[derive(Debug)]
pub struct SqliteAccessLog {
    pool: SqlitePool,
}

impl SqliteAccessLog {
    /// Connects to the database at a `sqlite:` URL (migrated by the event store).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        // Full fsync like the events: a batch is acknowledged to waiting auditors only once
        // durable. Batching keeps the cost to one fsync per batch, not per read.
        let options = SqliteConnectOptions::from_str(url)?
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

fn text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn instant(raw: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::CorruptAccessLog(format!("access log instant {raw:?}")))
}

fn logged(row: &SqliteRow) -> Result<LoggedAccess, StoreError> {
    let id: i64 = row.try_get("id")?;
    let case_id: String = row.try_get("case_id")?;
    let roles: String = row.try_get("roles")?;
    let as_of: Option<String> = row.try_get("as_of")?;
    Ok(LoggedAccess {
        id: u64::try_from(id).map_err(|_| StoreError::CorruptAccessLog("access log id".into()))?,
        record: AccessRecord {
            accessed_at: instant(&row.try_get::<String, _>("accessed_at")?)?,
            partnership: row.try_get("partnership")?,
            case_id: case_id
                .parse()
                .map_err(|_| StoreError::CorruptAccessLog("access log case id".into()))?,
            resource: row.try_get("resource")?,
            user_id: row.try_get("user_id")?,
            user_name: row.try_get("user_name")?,
            organisation: row.try_get("organisation")?,
            roles: serde_json::from_str(&roles)
                .map_err(|_| StoreError::CorruptAccessLog("access log roles".into()))?,
            as_of: as_of.as_deref().map(instant).transpose()?,
            request_id: row.try_get("request_id")?,
        },
    })
}

#[async_trait]
impl AccessLogStore for SqliteAccessLog {
    async fn append(&self, records: &[AccessRecord]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for chunk in records.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO access_log (accessed_at, partnership, case_id, resource, user_id, \
                 user_name, organisation, roles, as_of, request_id) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind(text(r.accessed_at))
                    .push_bind(r.partnership.clone())
                    .push_bind(r.case_id.to_string())
                    .push_bind(r.resource.clone())
                    .push_bind(r.user_id.clone())
                    .push_bind(r.user_name.clone())
                    .push_bind(r.organisation.clone())
                    .push_bind(serde_json::to_string(&r.roles).unwrap_or_else(|_| "[]".into()))
                    .push_bind(r.as_of.map(text))
                    .push_bind(r.request_id.clone());
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn read_case(&self, query: &AccessQuery) -> Result<Vec<LoggedAccess>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM access_log WHERE partnership = ? AND case_id = ? AND id > ? \
             AND (? IS NULL OR accessed_at >= ?) AND (? IS NULL OR accessed_at < ?) \
             ORDER BY id LIMIT ?",
        )
        .bind(&query.partnership)
        .bind(query.case_id.to_string())
        .bind(i64::try_from(query.after_id).unwrap_or(i64::MAX))
        .bind(query.from.map(text))
        .bind(query.from.map(text))
        .bind(query.to.map(text))
        .bind(query.to.map(text))
        .bind(i64::try_from(query.limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(logged).collect()
    }
}
