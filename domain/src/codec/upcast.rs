//! The upcasters: each turns one stored shape of one event type into the next. They are
//! applied in order on read, so a row of any historic version reaches the current shape. An
//! upcaster is never changed or removed once released: rows of its version exist for ever.

use serde_json::{Map, Value};

/// One step of an event type's shape, from `from` to `from + 1`.
pub(super) struct Upcaster {
    /// The event type.
    pub event_type: &'static str,
    /// The version it reads.
    pub from: i32,
    /// Rewrites the fields in place, or says why the stored data is not that shape.
    pub upcast: fn(&mut Map<String, Value>) -> Result<(), String>,
}

/// Every upcaster, in version order per type.
const UPCASTERS: &[Upcaster] = &[
    Upcaster {
        event_type: "RecommendationAdded",
        from: 1,
        upcast: recommendation_owner_to_owners,
    },
    Upcaster {
        event_type: "SarReferred",
        from: 1,
        upcast: sar_referral_with_s44_tests,
    },
    Upcaster {
        event_type: "DomesticHomicideNotified",
        from: 1,
        upcast: homicide_notification_with_relationship,
    },
    Upcaster {
        event_type: "RapidReviewSubmittedToPanel",
        from: 1,
        upcast: submission_gains_national_review_view,
    },
    Upcaster {
        event_type: "BankHolidayDeclared",
        from: 1,
        upcast: bank_holiday_declared_at,
    },
];

/// The version new rows of a type are written at.
pub(super) fn current_version(event_type: &str) -> i32 {
    1 + UPCASTERS
        .iter()
        .filter(|u| u.event_type == event_type)
        .map(|_| 1)
        .sum::<i32>()
}

/// The upcasters that take a row of `event_type` at `version` to the current shape, in order.
pub(super) fn steps(event_type: &str, version: i32) -> impl Iterator<Item = &'static Upcaster> {
    let event_type = event_type.to_owned();
    UPCASTERS
        .iter()
        .filter(move |u| u.event_type == event_type && u.from >= version)
}

/// RecommendationAdded v1 → v2. Version 1 named one `owner`; but a review's recommendations
/// are often addressed to several organisations jointly (domain.md: "owner organisations"),
/// such as a joint protocol of the police and the council. Version 2 has `owners`, the lead
/// owner first; a version 1 row had exactly one owner, who becomes the lead and only owner.
fn recommendation_owner_to_owners(fields: &mut Map<String, Value>) -> Result<(), String> {
    let owner = fields
        .remove("owner")
        .filter(Value::is_string)
        .ok_or("`owner` must be an organisation slug")?;
    fields.insert("owners".to_owned(), Value::Array(vec![owner]));
    Ok(())
}

/// SarReferred v1 → v2. Version 2 asks each Care Act 2014 s44 test on its own and the day the
/// adult's age is judged on. A version 1 row was, by the referral endpoint's documented
/// contract, about an adult with care and support needs (`care_and_support_needs: true`); for an
/// adult who died, version 1 read abuse or neglect known or suspected as condition 1, so the
/// death is read as resulting from it (`death_resulted_from_abuse_or_neglect: true`, null for a
/// living adult); the dates were not asked and stay unknown (null).
fn sar_referral_with_s44_tests(fields: &mut Map<String, Value>) -> Result<(), String> {
    let died = fields
        .get("adult_died")
        .and_then(Value::as_bool)
        .ok_or("`adult_died` must be a boolean")?;
    fields.insert("care_and_support_needs".to_owned(), Value::Bool(true));
    fields.insert("date_of_death".to_owned(), Value::Null);
    fields.insert(
        "death_resulted_from_abuse_or_neglect".to_owned(),
        if died { Value::Bool(true) } else { Value::Null },
    );
    fields.insert("abuse_or_neglect_date".to_owned(), Value::Null);
    Ok(())
}

/// DomesticHomicideNotified v1 → v2. Version 2 records the DVCVA 2004 s9(1) relationship test.
/// Version 1 did not ask it, so which relationship, and whether the death resulted from
/// violence, abuse or neglect, stay unknown (null) rather than guessed.
fn homicide_notification_with_relationship(fields: &mut Map<String, Value>) -> Result<(), String> {
    if !fields.get("date_of_death").is_some_and(Value::is_string) {
        return Err("`date_of_death` must be a date".to_owned());
    }
    fields.insert("relationship".to_owned(), Value::Null);
    fields.insert("violence_abuse_or_neglect".to_owned(), Value::Null);
    Ok(())
}

/// RapidReviewSubmittedToPanel v1 → v2. Version 1 recorded only when; but the submission
/// carries the partners' view on whether a national review may be appropriate (Appendix D).
/// A version 1 row never recorded that view: it is unknown (`null`), not guessed from the votes.
fn submission_gains_national_review_view(fields: &mut Map<String, Value>) -> Result<(), String> {
    if !fields.contains_key("occurred_at") {
        return Err("`occurred_at` is missing".to_owned());
    }
    fields.insert("national_review_may_be_appropriate".to_owned(), Value::Null);
    Ok(())
}

/// BankHolidayDeclared v1 → v2. Version 2 records when the declaration was made
/// (`declared_at`), because it reaches only the deadlines still pending then, and whether it
/// is a correction (`correction`). A version 1 row did not record its instant; it reads the
/// start of the declared day (00:00 London time): a holiday is proclaimed before it happens,
/// so that is the latest instant at which the declaration can have been legitimate, and it
/// never lets a declaration rewrite a deadline settled before the day itself. A version 1 row
/// was never a correction.
fn bank_holiday_declared_at(fields: &mut Map<String, Value>) -> Result<(), String> {
    let date = fields
        .get("date")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<chrono::NaiveDate>().ok())
        .ok_or("`date` must be a date")?;
    let start = crate::calendar::at_local_time(date, chrono::NaiveTime::MIN);
    let declared_at = serde_json::to_value(start).map_err(|e| e.to_string())?;
    fields.insert("declared_at".to_owned(), declared_at);
    fields.insert("correction".to_owned(), Value::Null);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_old_declaration_reads_as_made_at_the_start_of_its_day() {
        let mut fields = json!({"date": "2030-06-14", "name": "x"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert!(bank_holiday_declared_at(&mut fields).is_ok());
        // Midnight BST is 23:00 UTC the day before.
        assert_eq!(fields["declared_at"], json!("2030-06-13T23:00:00Z"));
        assert_eq!(fields["correction"], Value::Null);
        assert_eq!(current_version("BankHolidayDeclared"), 2);
    }

    #[test]
    fn versions_count_the_upcasters() {
        assert_eq!(current_version("RecommendationAdded"), 2);
        assert_eq!(current_version("IncidentNotified"), 1);
        assert_eq!(current_version("SarReferred"), 2);
        assert_eq!(current_version("DomesticHomicideNotified"), 2);
        assert_eq!(steps("RecommendationAdded", 1).count(), 1);
        assert_eq!(steps("RecommendationAdded", 2).count(), 0);
    }

    #[test]
    fn upcasters_are_in_version_order_without_gaps() {
        for (i, upcaster) in UPCASTERS.iter().enumerate() {
            let earlier = UPCASTERS[..i]
                .iter()
                .filter(|u| u.event_type == upcaster.event_type)
                .count();
            assert_eq!(
                upcaster.from,
                i32::try_from(earlier).unwrap_or(i32::MAX) + 1,
                "{} v{}",
                upcaster.event_type,
                upcaster.from
            );
        }
    }

    #[test]
    fn a_single_owner_becomes_the_lead_and_only_owner() {
        let Value::Object(mut fields) = json!({"owner": "essex-police", "text": "t"}) else {
            unreachable!()
        };
        recommendation_owner_to_owners(&mut fields).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Value::Object(fields),
            json!({"owners": ["essex-police"], "text": "t"})
        );
    }

    #[test]
    fn an_old_referral_keeps_what_version_1_meant() {
        let Value::Object(mut died) = json!({"adult_died": true, "serious_abuse_or_neglect": null})
        else {
            unreachable!()
        };
        sar_referral_with_s44_tests(&mut died).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(died["care_and_support_needs"], json!(true));
        assert_eq!(died["death_resulted_from_abuse_or_neglect"], json!(true));
        assert_eq!(died["date_of_death"], Value::Null);
        let Value::Object(mut alive) = json!({"adult_died": false}) else {
            unreachable!()
        };
        sar_referral_with_s44_tests(&mut alive).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(alive["death_resulted_from_abuse_or_neglect"], Value::Null);
        assert_eq!(alive["abuse_or_neglect_date"], Value::Null);
        let Value::Object(mut broken) = json!({"adult_died": "yes"}) else {
            unreachable!()
        };
        assert!(sar_referral_with_s44_tests(&mut broken).is_err());
    }

    #[test]
    fn an_old_homicide_notification_does_not_guess_the_relationship() {
        let Value::Object(mut fields) = json!({"date_of_death": "2023-04-09"}) else {
            unreachable!()
        };
        homicide_notification_with_relationship(&mut fields).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fields["relationship"], Value::Null);
        assert_eq!(fields["violence_abuse_or_neglect"], Value::Null);
        let Value::Object(mut broken) = json!({}) else {
            unreachable!()
        };
        assert!(homicide_notification_with_relationship(&mut broken).is_err());
    }

    #[test]
    fn an_old_submission_has_no_recorded_view_on_a_national_review() {
        let Value::Object(mut fields) = json!({"occurred_at": "2022-10-03T10:00:00Z"}) else {
            unreachable!()
        };
        submission_gains_national_review_view(&mut fields).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Value::Object(fields),
            json!({"national_review_may_be_appropriate": null, "occurred_at": "2022-10-03T10:00:00Z"})
        );
        assert_eq!(current_version("RapidReviewSubmittedToPanel"), 2);
    }

    #[test]
    fn a_row_without_an_owner_is_not_guessed_at() {
        let Value::Object(mut fields) = json!({"owner": 7}) else {
            unreachable!()
        };
        assert!(recommendation_owner_to_owners(&mut fields).is_err());
    }
}
