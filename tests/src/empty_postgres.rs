//! A PostgreSQL database with nothing in it, for the commands that must refuse one and for
//! schemas made by hand.

#![allow(clippy::unwrap_used)]

/// An empty PostgreSQL database (no migrations), dropped with it.
#[derive(Debug)]
pub struct EmptyPostgres {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl EmptyPostgres {
    /// A new database on the server of `admin` (a URL that may create databases).
    pub fn create(admin: &str) -> Self {
        let name = format!("empty_{}", uuid::Uuid::new_v4().simple());
        Self::run(admin, &format!(r#"CREATE DATABASE "{name}""#));
        Self {
            admin: admin.to_owned(),
            url: casetrail_testkit::with_database(admin, &name),
            name,
        }
    }

    /// Whether any table has been made in it.
    pub fn has_tables(&self) -> bool {
        let url = self.url.clone();
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::query_scalar::<_, i64>(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .fetch_one(&mut connection)
                .await
                .unwrap()
                    > 0
            })
    }

    /// Runs `sql` in the database of `url`.
    pub fn run(url: &str, sql: &str) {
        let (url, sql) = (url.to_owned(), sql.to_owned());
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut connection)
                    .await
                    .unwrap();
            });
    }
}

impl Drop for EmptyPostgres {
    fn drop(&mut self) {
        Self::run(
            &self.admin,
            &format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name),
        );
    }
}
