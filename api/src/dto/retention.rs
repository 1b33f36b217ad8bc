//! Wire types of retention: the partnership's periods and the cases whose period has ended.

use casetrail_domain::partnership::RetentionSettings;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How long the personal details of a closed case are kept, per kind of case. No statute
/// fixes it: the partnership sets it in its retention schedule (docs/rules.md, "Retention").
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"child_until_age": 25, "child_years_after_closure": 6,
    "adult_years_after_closure": 6, "domestic_homicide_years_after_closure": 6}))]
pub struct RetentionView {
    /// Child cases: kept until the end of the year in which the child reaches this age (18 to
    /// 100; default 25)...
    #[schema(minimum = 18, maximum = 100, example = 25)]
    pub child_until_age: u32,
    /// ...or this many years after closure, whichever is later (1 to 100; default 6).
    #[schema(minimum = 1, maximum = 100, example = 6)]
    pub child_years_after_closure: u32,
    /// Safeguarding adult reviews: years after closure (1 to 100; default 6).
    #[schema(minimum = 1, maximum = 100, example = 6)]
    pub adult_years_after_closure: u32,
    /// Domestic homicide reviews: years after closure (1 to 100; default 6).
    #[schema(minimum = 1, maximum = 100, example = 6)]
    pub domestic_homicide_years_after_closure: u32,
}

impl From<RetentionSettings> for RetentionView {
    fn from(r: RetentionSettings) -> Self {
        RetentionView {
            child_until_age: r.child_until_age,
            child_years_after_closure: r.child_years_after_closure,
            adult_years_after_closure: r.adult_years_after_closure,
            domestic_homicide_years_after_closure: r.domestic_homicide_years_after_closure,
        }
    }
}

impl From<RetentionView> for RetentionSettings {
    fn from(r: RetentionView) -> Self {
        RetentionSettings {
            child_until_age: r.child_until_age,
            child_years_after_closure: r.child_years_after_closure,
            adult_years_after_closure: r.adult_years_after_closure,
            domestic_homicide_years_after_closure: r.domestic_homicide_years_after_closure,
        }
    }
}

/// A closed case whose retention period has ended and whose personal details are still held.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"case_id": "01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f",
    "reference": "SBC-2014-0087", "kind": "child", "closed_at": "2015-06-30T10:00:00Z",
    "retention_ends_on": "2021-06-30",
    "erasure": "/v1/cases/01937a2e-8f0b-7c1d-9e2f-3a4b5c6d7e8f/erasure"}))]
pub struct RetentionDueView {
    /// The case.
    pub case_id: Uuid,
    /// Its pseudonymous reference.
    pub reference: String,
    /// `child`, `adult` or `domestic_homicide`.
    #[schema(value_type = casetrail_domain::case::CaseKind)]
    pub kind: String,
    /// When it was closed.
    pub closed_at: DateTime<Utc>,
    /// The last day of its retention period (past).
    pub retention_ends_on: NaiveDate,
    /// Where to erase its personal details (`POST`, role `admin`).
    pub erasure: String,
}

/// A page of cases due for erasure.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionDuePage {
    /// The cases, in the order they were opened.
    pub items: Vec<RetentionDueView>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}
