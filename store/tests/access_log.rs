//! The access log on both backends: what is written is read back whole, per case and in
//! order; the batching logger loses nothing it accepted; rows cannot be changed.

#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use async_trait::async_trait;
use casetrail_store::{
    AccessLogStore, AccessLogger, AccessQuery, AccessRecord, LoggedAccess, StoreError,
    open_access_log,
};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use futures::future::join_all;
use support::TestDb;
use uuid::Uuid;

both_backends!(
    reads_come_back_whole_per_case_and_in_order,
    pages_and_time_filters,
    the_logger_loses_nothing_it_accepted,
    closing_writes_the_queue_and_refuses_later_reads,
    a_failing_database_delays_records_but_keeps_them,
    rows_cannot_be_changed_or_removed,
);

/// Opens the event store (which migrates) and then the access log beside it.
async fn open(db: &TestDb) -> Arc<dyn AccessLogStore> {
    db.open().await.close().await;
    open_access_log(&db.url).await.unwrap()
}

fn read(partnership: &str, case_id: Uuid, n: u32, at: DateTime<Utc>) -> AccessRecord {
    AccessRecord {
        accessed_at: at.trunc_subsecs(6),
        partnership: partnership.to_owned(),
        case_id,
        resource: ["case", "deadlines", "audit_trail"][n as usize % 3].to_owned(),
        user_id: format!("u-{n}"),
        user_name: format!("Reader {n}"),
        organisation: "essex-police".to_owned(),
        // Names with commas, quotes, backslashes or none at all come back as they went in.
        roles: match n {
            3 => vec![r#"a,b {c}"#, r#"say "hi""#, r"back\slash", "NULL"],
            4 => vec![],
            _ => vec!["agency_user", "reviewer"],
        }
        .into_iter()
        .map(str::to_owned)
        .collect(),
        as_of: n
            .is_multiple_of(2)
            .then(|| at.trunc_subsecs(6) - Duration::days(30)),
        request_id: Uuid::new_v4().to_string(),
    }
}

fn everything(partnership: &str, case_id: Uuid) -> AccessQuery {
    AccessQuery {
        partnership: partnership.to_owned(),
        case_id,
        after_id: 0,
        from: None,
        to: None,
        limit: 10_000,
    }
}

fn records(logged: Vec<LoggedAccess>) -> Vec<AccessRecord> {
    logged.into_iter().map(|l| l.record).collect()
}

async fn reads_come_back_whole_per_case_and_in_order(db: &TestDb) {
    let log = open(db).await;
    let (case, other_case) = (Uuid::now_v7(), Uuid::now_v7());
    let now = Utc::now();
    let mine: Vec<_> = (0..5).map(|n| read("southend", case, n, now)).collect();
    log.append(&mine).await.unwrap();
    log.append(&[read("southend", other_case, 9, now)])
        .await
        .unwrap();
    // The same case id under another partnership is another tenant's business.
    log.append(&[read("thurrock", case, 8, now)]).await.unwrap();
    log.append(&mine[..1]).await.unwrap();

    let logged = log.read_case(&everything("southend", case)).await.unwrap();
    assert!(logged.windows(2).all(|w| w[0].id < w[1].id));
    let mut expected = mine.clone();
    expected.push(mine[0].clone());
    assert_eq!(
        records(logged),
        expected,
        "every field survives the round trip"
    );
    assert_eq!(
        records(log.read_case(&everything("thurrock", case)).await.unwrap()),
        vec![only_read_of(&log, "thurrock", case).await]
    );
}

async fn only_read_of(
    log: &Arc<dyn AccessLogStore>,
    partnership: &str,
    case: Uuid,
) -> AccessRecord {
    let logged = log.read_case(&everything(partnership, case)).await.unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].record.user_id, "u-8");
    logged[0].record.clone()
}

async fn pages_and_time_filters(db: &TestDb) {
    let log = open(db).await;
    let case = Uuid::now_v7();
    let start = Utc::now().trunc_subsecs(6);
    let all: Vec<_> = (0..7)
        .map(|n| read("southend", case, n, start + Duration::minutes(i64::from(n))))
        .collect();
    log.append(&all).await.unwrap();

    let mut query = everything("southend", case);
    query.limit = 3;
    let mut pages = Vec::new();
    loop {
        let page = log.read_case(&query).await.unwrap();
        let Some(last) = page.last() else { break };
        query.after_id = last.id;
        pages.push(page.len());
        assert!(pages.len() <= 5, "pagination does not end");
    }
    assert_eq!(pages, vec![3, 3, 1]);

    let mut window = everything("southend", case);
    window.from = Some(start + Duration::minutes(2));
    window.to = Some(start + Duration::minutes(5));
    let users: Vec<_> = records(log.read_case(&window).await.unwrap())
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    assert_eq!(
        users,
        ["u-2", "u-3", "u-4"],
        "from is inclusive, to exclusive"
    );
}

async fn the_logger_loses_nothing_it_accepted(db: &TestDb) {
    let log = open(db).await;
    let counted = Outage::new(&log, 0);
    let logger = AccessLogger::start(counted.clone());
    let case = Uuid::now_v7();
    let now = Utc::now();
    let sent: Vec<_> = (0..2_500).map(|n| read("southend", case, n, now)).collect();
    let accepted = join_all(sent.iter().cloned().map(|r| {
        let logger = logger.clone();
        tokio::spawn(async move { logger.record(r).await })
    }))
    .await;
    assert!(accepted.into_iter().all(|r| matches!(r, Ok(Ok(())))));
    logger.flush().await.unwrap();

    let mut stored: Vec<_> = records(log.read_case(&everything("southend", case)).await.unwrap())
        .into_iter()
        .map(|r| r.request_id)
        .collect();
    let mut expected: Vec<_> = sent.into_iter().map(|r| r.request_id).collect();
    stored.sort();
    expected.sort();
    assert_eq!(stored, expected, "each accepted read exactly once");
    let transactions = counted.appends.load(Ordering::SeqCst);
    assert!(
        transactions < 2_500,
        "concurrent reads share transactions ({transactions} for 2,500 reads)"
    );
    logger.close().await;
}

async fn closing_writes_the_queue_and_refuses_later_reads(db: &TestDb) {
    let log = open(db).await;
    let logger = AccessLogger::start(Arc::clone(&log));
    let case = Uuid::now_v7();
    for n in 0..100 {
        logger
            .record(read("southend", case, n, Utc::now()))
            .await
            .unwrap();
    }
    logger.close().await;
    assert_eq!(
        log.read_case(&everything("southend", case))
            .await
            .unwrap()
            .len(),
        100
    );
    assert!(
        logger
            .record(read("southend", case, 1, Utc::now()))
            .await
            .is_err(),
        "a read after close is refused, not silently dropped"
    );
}

/// The real store behind a switch that fails its first appends, as a database restart would,
/// and counts the transactions it is asked for.
#[derive(Debug)]
struct Outage {
    store: Arc<dyn AccessLogStore>,
    failures_left: AtomicU32,
    appends: AtomicU32,
}

impl Outage {
    fn new(store: &Arc<dyn AccessLogStore>, failures: u32) -> Arc<Self> {
        Arc::new(Self {
            store: Arc::clone(store),
            failures_left: AtomicU32::new(failures),
            appends: AtomicU32::new(0),
        })
    }
}

#[async_trait]
impl AccessLogStore for Outage {
    async fn append(&self, records: &[AccessRecord]) -> Result<(), StoreError> {
        self.appends.fetch_add(1, Ordering::SeqCst);
        if self
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(StoreError::Database(sqlx::Error::PoolTimedOut));
        }
        self.store.append(records).await
    }

    async fn read_case(&self, query: &AccessQuery) -> Result<Vec<LoggedAccess>, StoreError> {
        self.store.read_case(query).await
    }
}

async fn a_failing_database_delays_records_but_keeps_them(db: &TestDb) {
    let log = open(db).await;
    let outage = Outage::new(&log, 3);
    let logger = AccessLogger::start(outage.clone());
    let case = Uuid::now_v7();
    for n in 0..10 {
        logger
            .record(read("southend", case, n, Utc::now()))
            .await
            .unwrap();
    }
    logger.flush().await.unwrap();
    assert_eq!(outage.failures_left.load(Ordering::SeqCst), 0);
    assert_eq!(
        log.read_case(&everything("southend", case))
            .await
            .unwrap()
            .len(),
        10
    );
    logger.close().await;
}

async fn rows_cannot_be_changed_or_removed(db: &TestDb) {
    use sqlx::Connection;
    let log = open(db).await;
    let case = Uuid::now_v7();
    log.append(&[read("southend", case, 1, Utc::now())])
        .await
        .unwrap();
    let statements = [
        "UPDATE access_log SET user_id = 'someone-else'",
        "DELETE FROM access_log",
    ];
    for sql in statements {
        let refused = if db.is_sqlite() {
            let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .map(drop)
        } else {
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .map(drop)
        };
        let error = refused.expect_err(sql).to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
    if !db.is_sqlite() {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let error = sqlx::raw_sql("TRUNCATE access_log")
            .execute(&mut conn)
            .await
            .expect_err("truncate");
        assert!(error.to_string().contains("append-only"));
    }
    assert_eq!(
        records(log.read_case(&everything("southend", case)).await.unwrap())[0].user_id,
        "u-1"
    );
}
