//! The access log in PostgreSQL.

use super::{AccessLogStore, AccessQuery, AccessRecord, LoggedAccess, ROWS_PER_INSERT};
use crate::StoreError;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, QueryBuilder, Row};

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
        let mut tx = self.pool.begin().await?;
        for chunk in records.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Postgres>::new(
                "INSERT INTO access_log (accessed_at, partnership, case_id, resource, user_id, \
                 user_name, organisation, roles, as_of, request_id) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind(r.accessed_at)
                    .push_bind(r.partnership.clone())
                    .push_bind(r.case_id)
                    .push_bind(r.resource.clone())
                    .push_bind(r.user_id.clone())
                    .push_bind(r.user_name.clone())
                    .push_bind(r.organisation.clone())
                    .push_bind(r.roles.clone())
                    .push_bind(r.as_of)
                    .push_bind(r.request_id.clone());
            });
            insert.build().execute(&mut *tx).await?;
        }
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
