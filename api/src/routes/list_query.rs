//! The query strings of the case and deadline lists, parsed into the app's typed filters:
//! what is malformed is refused here, every parameter at fault named at once
//! (`errors[].parameter`); the matching, order and paging are the queries'. Also the lists'
//! opaque cursors, each valid for the sort it was given in only.

use super::cursor;
use crate::problem::{ApiError, Gathered};
use casetrail_app::queries::{CaseFilters, CasePlace, CaseSort, ChangedSince, DeadlineFilters};
use casetrail_domain::{CaseId, OrgSlug};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;

/// The orders of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum CaseListSort {
    /// Opened earliest first.
    #[serde(rename = "opened_at")]
    OpenedAt,
    /// Opened latest first.
    #[serde(rename = "-opened_at")]
    OpenedAtDescending,
    /// The soonest next due deadline first (`next_due_at`); cases with none left last.
    #[serde(rename = "due_at")]
    DueAt,
}

impl CaseListSort {
    fn order(self) -> CaseSort {
        match self {
            CaseListSort::OpenedAt => CaseSort::OpenedAt,
            CaseListSort::OpenedAtDescending => CaseSort::OpenedAtDescending,
            CaseListSort::DueAt => CaseSort::NextDueAt,
        }
    }
}

/// The orders of the deadline list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum DeadlineListSort {
    /// Soonest due first (the default).
    #[serde(rename = "due_at")]
    DueAt,
    /// Latest due first.
    #[serde(rename = "-due_at")]
    DueAtDescending,
}

/// Query of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCasesQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor` (or the `Link` header's `next` of
    /// a CSV page), valid with the same `sort` only.
    pub cursor: Option<String>,
    /// The order: `opened_at` (opened earliest first), `-opened_at` (latest first) or `due_at`
    /// (soonest `next_due_at` first, cases with no deadline left to meet last); ties in the
    /// order the cases were recorded. Default: the order the cases were recorded in the log.
    #[param(value_type = Option<CaseListSort>)]
    pub sort: Option<String>,
    /// Only cases of this kind: `child`, `adult` or `domestic_homicide`.
    #[param(value_type = Option<casetrail_domain::case::CaseKind>)]
    pub kind: Option<String>,
    /// Only cases at this stage, e.g. `rapid_review`.
    #[param(value_type = Option<casetrail_domain::case::Stage>)]
    pub stage: Option<String>,
    /// Only cases this organisation is involved in (slug).
    pub organisation: Option<String>,
    /// Only cases with (`true`) or without (`false`) a breached deadline.
    pub has_overdue_deadlines: Option<bool>,
    /// Only cases opened at or after this instant (RFC 3339).
    pub opened_from: Option<DateTime<Utc>>,
    /// Only cases opened before this instant (RFC 3339).
    pub opened_to: Option<DateTime<Utc>>,
    /// Only the cases of the child, adult or victim with this pseudonymous reference, exactly
    /// as recorded (e.g. `SBC-2022-0412`): to find a case before notifying it again.
    pub reference: Option<String>,
    /// Only cases changed since: a log position (a command's answer's `position`, or the
    /// greatest `updated_position` seen) or an instant (RFC 3339, recorded after it).
    pub changed_since: Option<String>,
    /// Answer as the read model stood at this instant (RFC 3339): only facts recorded by then,
    /// deadlines evaluated then. Default: now. A day outside 1990–2100, which the working-day
    /// calendar cannot judge, is 400 `calendar.date_out_of_range`.
    pub as_of: Option<DateTime<Utc>>,
}

/// Query of the deadline list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDeadlinesQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, example = 50)]
    pub limit: Option<usize>,
    /// Opaque cursor from the previous page's `next_cursor` (or the `Link` header's `next` of
    /// a CSV page), valid with the same `sort` only.
    pub cursor: Option<String>,
    /// The order: `due_at` (soonest due first, the default) or `-due_at` (latest due first).
    #[param(value_type = Option<DeadlineListSort>)]
    pub sort: Option<String>,
    /// Only deadlines with this status: `pending`, `due_soon`, `met`, `met_late`, `breached`,
    /// `not_applicable`.
    #[param(value_type = Option<casetrail_domain::deadline::DeadlineStatus>)]
    pub status: Option<String>,
    /// Only deadlines of this kind, e.g. `rr_agency_report`.
    #[param(value_type = Option<casetrail_domain::deadline::DeadlineKind>)]
    pub kind: Option<String>,
    /// Only deadlines of this case.
    pub case_id: Option<Uuid>,
    /// Only deadlines this organisation must meet (slug).
    pub organisation: Option<String>,
    /// Only deadlines due at or after this instant (RFC 3339).
    pub due_from: Option<DateTime<Utc>>,
    /// Only deadlines due before this instant (RFC 3339).
    pub due_to: Option<DateTime<Utc>>,
    /// Only the deadlines of cases changed since: a log position (a command's answer's
    /// `position`, or the greatest `updated_position` seen) or an instant (RFC 3339, recorded
    /// after it). A status that moved with time alone (`due_soon`, `breached`) is not a change.
    pub changed_since: Option<String>,
    /// Evaluate at this instant, from the facts recorded by then (RFC 3339). Default: now. A day
    /// outside 1990–2100 is 400 `calendar.date_out_of_range`.
    pub as_of: Option<DateTime<Utc>>,
}

/// The query string as typed filters, or 400 naming every parameter at fault.
pub fn case_filters(query: ListCasesQuery) -> Result<CaseFilters, ApiError> {
    let mut faults = Gathered::default();
    let sort = faults
        .parse(query.sort, |s| wire_enum::<CaseListSort>("sort", &s))
        .map_or(CaseSort::Recorded, CaseListSort::order);
    let filters = CaseFilters {
        limit: faults.take(page_size(query.limit)).unwrap_or(DEFAULT_PAGE),
        sort,
        after: faults.parse(query.cursor, |c| decode_case_cursor(&c, sort)),
        kind: faults.parse(query.kind, |k| wire_enum("kind", &k)),
        stage: faults.parse(query.stage, |s| wire_enum("stage", &s)),
        organisation: faults.parse(query.organisation, |o| parse_slug("organisation", &o)),
        has_overdue_deadlines: query.has_overdue_deadlines,
        opened_from: query.opened_from,
        opened_to: query.opened_to,
        reference: query.reference,
        changed_since: faults.parse(query.changed_since, |c| changed_since(&c)),
        as_of: query.as_of,
    };
    faults.finish().map(|()| filters)
}

/// The query string as typed filters, or 400 naming every parameter at fault.
pub fn deadline_filters(query: ListDeadlinesQuery) -> Result<DeadlineFilters, ApiError> {
    let mut faults = Gathered::default();
    let sort = faults.parse(query.sort, |s| wire_enum::<DeadlineListSort>("sort", &s));
    let descending = sort == Some(DeadlineListSort::DueAtDescending);
    let filters = DeadlineFilters {
        limit: faults.take(page_size(query.limit)).unwrap_or(DEFAULT_PAGE),
        descending,
        after: faults.parse(query.cursor, |c| decode_deadline_cursor(&c, descending)),
        status: faults.parse(query.status, |s| wire_enum("status", &s)),
        kind: query.kind,
        case_id: query.case_id.map(CaseId::from_uuid),
        organisation: faults.parse(query.organisation, |o| parse_slug("organisation", &o)),
        due_from: query.due_from,
        due_to: query.due_to,
        changed_since: faults.parse(query.changed_since, |c| changed_since(&c)),
        as_of: query.as_of,
    };
    faults.finish().map(|()| filters)
}

/// `limit`: 1 to 500, 50 when absent (every list but the event export's).
pub fn page_size(limit: Option<usize>) -> Result<usize, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::invalid_parameter(
            "limit",
            "query.invalid_limit",
            "limit must be 1 to 500",
        ))
    }
}

fn parse_slug(parameter: &str, value: &str) -> Result<OrgSlug, ApiError> {
    OrgSlug::parse(value).map_err(|_| {
        ApiError::invalid_parameter(
            parameter,
            "query.invalid",
            format!("{parameter} must be an organisation slug"),
        )
    })
}

/// `changed_since`: a log position or an RFC 3339 instant.
fn changed_since(value: &str) -> Result<ChangedSince, ApiError> {
    if let Ok(position) = value.parse::<u64>() {
        return Ok(ChangedSince::Position(position));
    }
    DateTime::parse_from_rfc3339(value)
        .map(|at| ChangedSince::Instant(at.with_timezone(&Utc)))
        .map_err(|_| {
            ApiError::invalid_parameter(
                "changed_since",
                "query.invalid",
                "changed_since must be a log position or an RFC 3339 instant",
            )
        })
}

fn wire_enum<T: serde::de::DeserializeOwned>(parameter: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        ApiError::invalid_parameter(
            parameter,
            "query.invalid",
            format!("{parameter} has an unknown value"),
        )
    })
}

/// The sorts' names on the wire; the log's order, the default, has none.
fn sort_name(sort: CaseSort) -> Option<&'static str> {
    match sort {
        CaseSort::Recorded => None,
        CaseSort::OpenedAt => Some("opened_at"),
        CaseSort::OpenedAtDescending => Some("-opened_at"),
        CaseSort::NextDueAt => Some("due_at"),
    }
}

/// A case list's cursor. In the log's order (no `sort`) it is `c1` and the opening position of
/// the last case given, as before the list could be sorted; in a sort, `c2`, the sort, the
/// last case's sort instant (`-` for none) and its opening position.
pub fn encode_case_cursor(sort: CaseSort, place: CasePlace) -> String {
    match sort_name(sort) {
        None => cursor::encode("c1", place.position),
        Some(name) => {
            let instant = place
                .instant
                .map_or("-".to_owned(), |at| at.timestamp_micros().to_string());
            cursor::encode("c2", format_args!("{name}:{instant}:{}", place.position))
        }
    }
}

fn decode_case_cursor(text: &str, sort: CaseSort) -> Result<CasePlace, ApiError> {
    let (prefix, payload) = cursor::decode_any(text)?;
    let (given_for, instant, position) = match prefix.as_str() {
        "c1" => (CaseSort::Recorded, None, payload.as_str()),
        "c2" => {
            let mut parts = payload.splitn(3, ':');
            let (Some(name), Some(instant), Some(position)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(cursor::invalid());
            };
            let given_for = [
                CaseSort::OpenedAt,
                CaseSort::OpenedAtDescending,
                CaseSort::NextDueAt,
            ]
            .into_iter()
            .find(|s| sort_name(*s) == Some(name))
            .ok_or_else(cursor::invalid)?;
            let instant = match instant {
                "-" => None,
                micros => Some(
                    micros
                        .parse()
                        .ok()
                        .and_then(DateTime::from_timestamp_micros)
                        .ok_or_else(cursor::invalid)?,
                ),
            };
            (given_for, instant, position)
        }
        _ => return Err(cursor::invalid()),
    };
    if given_for != sort {
        return Err(cursor::of_another_sort(
            sort_name(given_for).unwrap_or("(none)"),
        ));
    }
    let position = position.parse().map_err(|_| cursor::invalid())?;
    Ok(CasePlace { instant, position })
}

/// A deadline list's cursor: `d1` soonest due first (as before the list could be sorted),
/// `d2` latest due first, with the due instant and id of the last deadline given.
pub fn encode_deadline_cursor(descending: bool, (due_at, id): (DateTime<Utc>, Uuid)) -> String {
    let prefix = if descending { "d2" } else { "d1" };
    cursor::encode(prefix, format_args!("{}:{id}", due_at.timestamp_micros()))
}

fn decode_deadline_cursor(text: &str, descending: bool) -> Result<(DateTime<Utc>, Uuid), ApiError> {
    let (prefix, payload) = cursor::decode_any(text)?;
    let given_descending = match prefix.as_str() {
        "d1" => false,
        "d2" => true,
        _ => return Err(cursor::invalid()),
    };
    if given_descending != descending {
        return Err(cursor::of_another_sort(if given_descending {
            "-due_at"
        } else {
            "due_at"
        }));
    }
    let (micros, id) = payload.split_once(':').ok_or_else(cursor::invalid)?;
    let due_at = micros
        .parse()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(cursor::invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| cursor::invalid())?;
    Ok((due_at, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(instant: Option<i64>, position: u64) -> CasePlace {
        CasePlace {
            instant: instant.and_then(DateTime::from_timestamp_micros),
            position,
        }
    }

    #[test]
    fn a_case_cursor_reads_back_in_its_own_sort_only() {
        let sorts = [
            CaseSort::Recorded,
            CaseSort::OpenedAt,
            CaseSort::OpenedAtDescending,
            CaseSort::NextDueAt,
        ];
        for given in sorts {
            let at = (given != CaseSort::Recorded).then_some(1_670_000_000_000_000);
            let cursor = encode_case_cursor(given, place(at, 42));
            for asked in sorts {
                let read = decode_case_cursor(&cursor, asked);
                if asked == given {
                    assert_eq!(read.ok(), Some(place(at, 42)), "{given:?}");
                } else {
                    let Err(ApiError::Client { errors, .. }) = read else {
                        panic!("{given:?} read as {asked:?}");
                    };
                    assert_eq!(errors[0].parameter.as_deref(), Some("cursor"));
                    assert!(errors[0].message.contains("sort="), "{}", errors[0].message);
                }
            }
        }
        // A case with no deadline left has no instant in the due order.
        let cursor = encode_case_cursor(CaseSort::NextDueAt, place(None, 7));
        assert_eq!(
            decode_case_cursor(&cursor, CaseSort::NextDueAt).ok(),
            Some(place(None, 7))
        );
    }

    #[test]
    fn a_deadline_cursor_reads_back_in_its_own_sort_only() {
        let last = (DateTime::UNIX_EPOCH, Uuid::nil());
        for descending in [false, true] {
            let cursor = encode_deadline_cursor(descending, last);
            assert_eq!(decode_deadline_cursor(&cursor, descending).ok(), Some(last));
            assert!(decode_deadline_cursor(&cursor, !descending).is_err());
        }
        assert!(decode_deadline_cursor(&cursor::encode("c1", 1), false).is_err());
    }

    #[test]
    fn every_parameter_at_fault_is_named() {
        let query = ListCasesQuery {
            limit: Some(0),
            cursor: Some("nonsense".into()),
            sort: Some("sideways".into()),
            kind: Some("teen".into()),
            stage: None,
            organisation: Some("Not A Slug".into()),
            has_overdue_deadlines: None,
            opened_from: None,
            opened_to: None,
            reference: None,
            changed_since: Some("yesterday".into()),
            as_of: None,
        };
        let Err(ApiError::Client { code, errors, .. }) = case_filters(query) else {
            panic!("six parameters are at fault");
        };
        let named: Vec<_> = errors.iter().map(|e| e.parameter.as_deref()).collect();
        assert_eq!(
            named,
            [
                Some("sort"),
                Some("limit"),
                Some("cursor"),
                Some("kind"),
                Some("organisation"),
                Some("changed_since")
            ]
        );
        assert_eq!(code, "query.invalid");
    }
}
