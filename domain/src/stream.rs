//! Stream names. A stream's name starts with its partnership, so a read for one tenant can
//! never load another tenant's case: a foreign case id simply names an empty stream (404).

use crate::{CaseId, PartnershipSlug};

/// The stream of one case.
pub fn case_stream(partnership: &PartnershipSlug, case_id: CaseId) -> String {
    format!("{partnership}/case/{case_id}")
}

/// The stream of a partnership's own facts (organisations, settings, holidays).
pub fn partnership_stream(partnership: &PartnershipSlug) -> String {
    format!("{partnership}/partnership")
}

/// The stream of a partnership's reminders and recorded breaches: facts that time passing
/// causes, kept out of the case streams so that recording one never changes a case's version
/// (a client's `If-Match`).
pub fn reminders_stream(partnership: &PartnershipSlug) -> String {
    format!("{partnership}/reminders")
}

/// The stream of a partnership's learning record: its themes, meetings, learning events,
/// disseminations and budget (issue 17).
pub fn learning_stream(partnership: &PartnershipSlug) -> String {
    format!("{partnership}/learning")
}

/// What a stored stream name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamRef {
    /// A case stream.
    Case(PartnershipSlug, CaseId),
    /// A partnership stream.
    Partnership(PartnershipSlug),
    /// A partnership's reminders stream.
    Reminders(PartnershipSlug),
    /// A partnership's learning stream.
    Learning(PartnershipSlug),
}

/// Parses a stream name written by [`case_stream`], [`partnership_stream`],
/// [`reminders_stream`] or [`learning_stream`].
pub fn parse_stream(stream_id: &str) -> Option<StreamRef> {
    let mut parts = stream_id.splitn(3, '/');
    let partnership = PartnershipSlug::parse(parts.next()?).ok()?;
    match (parts.next()?, parts.next()) {
        ("partnership", None) => Some(StreamRef::Partnership(partnership)),
        ("reminders", None) => Some(StreamRef::Reminders(partnership)),
        ("learning", None) => Some(StreamRef::Learning(partnership)),
        ("case", Some(id)) => {
            let id = uuid::Uuid::parse_str(id).ok()?;
            Some(StreamRef::Case(partnership, CaseId::from_uuid(id)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_round_trip() {
        let p = PartnershipSlug::parse("southend").expect("slug");
        let id = CaseId::from_uuid(uuid::Uuid::now_v7());
        assert_eq!(
            parse_stream(&case_stream(&p, id)),
            Some(StreamRef::Case(p.clone(), id))
        );
        assert_eq!(
            parse_stream(&partnership_stream(&p)),
            Some(StreamRef::Partnership(p.clone()))
        );
        assert_eq!(
            parse_stream(&reminders_stream(&p)),
            Some(StreamRef::Reminders(p.clone()))
        );
        assert_eq!(
            parse_stream(&learning_stream(&p)),
            Some(StreamRef::Learning(p))
        );
        assert_eq!(parse_stream("southend/case/not-a-uuid"), None);
    }
}
