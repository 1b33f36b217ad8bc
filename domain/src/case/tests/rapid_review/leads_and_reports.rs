//! Days 2 to 8 of the rapid review: partner leads, the review lead, agency reports (or a
//! modified response instead) and the rapid review meeting.

use super::*;
use crate::case::rapid_review::{ModifiedResponseAgreed, PartnerLeadNamed, ReviewLeadAgreed};

#[test]
fn a_partner_names_its_own_lead_and_the_business_manager_any() {
    let history = given(started());
    let named = |partner, lead_name: &str| {
        vec![CaseEvent::PartnerLeadNamed(PartnerLeadNamed {
            partner,
            lead_name: lead_name.into(),
            occurred_at: now(),
        })]
    };
    assert_eq!(
        history
            .when(
                &decision_maker(Police),
                now(),
                name_lead(Police, "  DI Sam Patel ", None)
            )
            .unwrap(),
        named(Police, "DI Sam Patel")
    );
    assert_eq!(
        history
            .when(
                &business_manager(),
                now(),
                name_lead(Health, "Dr Ann Lee", None)
            )
            .unwrap(),
        named(Health, "Dr Ann Lee")
    );
    // The case shows each partner's lead, a later naming replacing an earlier one.
    let case = Case::replay(&and(
        started(),
        [
            named(Police, "DI Sam Patel"),
            named(Police, "DI Jo Hart"),
            named(Health, "Dr Ann Lee"),
        ]
        .concat(),
    ))
    .unwrap();
    let leads = &case.rapid_review.unwrap().partner_leads;
    assert_eq!(leads.get(&Police).map(String::as_str), Some("DI Jo Hart"));
    assert_eq!(leads.get(&Health).map(String::as_str), Some("Dr Ann Lee"));
    assert_eq!(leads.get(&LocalAuthority), None);
    check_occurred_at(&history, &decision_maker(Police), now(), INITIATED, |at| {
        name_lead(Police, "DI Sam Patel", at)
    });
}

#[test]
fn name_partner_lead_refusals() {
    let history = given(started());
    assert_eq!(
        refused(history.when(
            &decision_maker(Police),
            now(),
            name_lead(Health, "Dr Ann Lee", None)
        )),
        (Forbidden, "auth.own_partner_only")
    );
    // A decision maker of an organisation that is no statutory partner names no lead.
    assert_eq!(
        refused(history.when(
            &actor("suhft", &[Role::PartnerDecisionMaker]),
            now(),
            name_lead(LocalAuthority, "Jo Shaw", None)
        )),
        (Forbidden, "auth.own_partner_only")
    );
    let by = decision_maker(Police);
    assert_eq!(
        refused_field(history.when(&by, now(), name_lead(Police, "  ", None))),
        (Invalid, "field.required", "lead_name".into())
    );
    assert_eq!(
        refused_field(history.when(&by, now(), name_lead(Police, &"x".repeat(201), None))),
        (Invalid, "field.too_long", "lead_name".into())
    );
}

#[test]
fn agree_review_lead() {
    let history = given(started());
    let agreed = history
        .when(
            &business_manager(),
            now(),
            agree_lead(" Alex Reid ", "suhft", None),
        )
        .unwrap();
    assert_eq!(
        agreed,
        vec![CaseEvent::ReviewLeadAgreed(ReviewLeadAgreed {
            lead_name: "Alex Reid".into(),
            organisation: org("suhft"),
            occurred_at: now(),
        })]
    );
    let case = Case::replay(&and(started(), agreed)).unwrap();
    assert_eq!(
        case.rapid_review.unwrap().review_lead,
        Some(("Alex Reid".to_owned(), org("suhft")))
    );
    assert_eq!(
        refused_field(history.when(
            &business_manager(),
            now(),
            agree_lead("Alex Reid", "nowhere", None)
        )),
        (Invalid, "organisation.unknown", "organisation".into())
    );
    assert_eq!(
        refused_field(history.when(&business_manager(), now(), agree_lead("", "suhft", None))),
        (Invalid, "field.required", "lead_name".into())
    );
    check_occurred_at(&history, &business_manager(), now(), INITIATED, |at| {
        agree_lead("Alex Reid", "suhft", at)
    });
}

#[test]
fn agree_modified_response() {
    let history = given(requested());
    assert_eq!(
        history
            .when(&business_manager(), now(), modified_response(None))
            .unwrap(),
        vec![CaseEvent::ModifiedResponseAgreed(ModifiedResponseAgreed {
            rationale: sealed(),
            occurred_at: now(),
        })]
    );
    let agreed = and(
        requested(),
        [CaseEvent::ModifiedResponseAgreed(ModifiedResponseAgreed {
            rationale: sealed(),
            occurred_at: instant("2022-09-13T10:00:00Z"),
        })],
    );
    assert_eq!(
        refused(given(agreed).when(&business_manager(), now(), modified_response(None))),
        (Conflict, "rapid_review.modified_response_already_agreed")
    );
    // Once the reports have gone round it is too late to accept internal documents instead.
    assert_eq!(
        refused(given(first_draft_done()).when(
            &business_manager(),
            now(),
            modified_response(None)
        )),
        (Conflict, "rapid_review.reports_already_circulated")
    );
    check_occurred_at(
        &history,
        &business_manager(),
        now(),
        INITIATED,
        modified_response,
    );
}

#[test]
fn request_agency_report() {
    let history = given(requested());
    assert_eq!(
        history
            .when(
                &business_manager(),
                now(),
                request("southend-schools", None)
            )
            .unwrap(),
        vec![CaseEvent::AgencyReportRequested(by_org(
            "southend-schools",
            NOW
        ))]
    );
    assert_eq!(
        refused_field(history.when(&business_manager(), now(), request("nowhere", None))),
        (Invalid, "organisation.unknown", "organisation".into())
    );
    assert_eq!(
        refused(history.when(&business_manager(), now(), request("suhft", None))),
        (Conflict, "agency_report.already_requested")
    );
    check_occurred_at(&history, &business_manager(), now(), INITIATED, |at| {
        request("southend-schools", at)
    });
}

#[test]
fn an_agency_submits_its_own_requested_report() {
    let history = given(requested());
    assert_eq!(
        history
            .when(&agency_user("suhft"), now(), submit_report("suhft", None))
            .unwrap(),
        vec![report_submitted("suhft", NOW)]
    );
    check_occurred_at(&history, &agency_user("suhft"), now(), REQUESTED, |at| {
        submit_report("suhft", at)
    });
}

#[test]
fn submit_agency_report_refusals() {
    let history = given(requested());
    assert_eq!(
        refused(history.when(
            &agency_user("suhft"),
            now(),
            submit_report("southend-schools", None)
        )),
        (Forbidden, "auth.own_organisation_only")
    );
    assert_eq!(
        refused(history.when(
            &agency_user("southend-schools"),
            now(),
            submit_report("southend-schools", None)
        )),
        (Conflict, "agency_report.not_requested")
    );
    assert_eq!(
        refused(given(first_draft_done()).when(
            &agency_user("suhft"),
            now(),
            submit_report("suhft", None)
        )),
        (Conflict, "agency_report.already_submitted")
    );
}

#[test]
fn circulate_agency_reports() {
    let history = given(requested());
    assert_eq!(
        history
            .when(&business_manager(), now(), circulate(None))
            .unwrap(),
        vec![CaseEvent::AgencyReportsCirculated(occurred(NOW))]
    );
    assert_eq!(
        refused(given(first_draft_done()).when(&business_manager(), now(), circulate(None))),
        (Conflict, "rapid_review.reports_already_circulated")
    );
    check_occurred_at(&history, &business_manager(), now(), INITIATED, circulate);
}

#[test]
fn record_rapid_review_meeting_lists_each_organisation_present_once() {
    let history = given(requested());
    let present = [
        "suhft",
        "southend-council",
        "essex-police",
        "southend-ccg",
        "suhft",
    ];
    assert_eq!(
        history
            .when(&business_manager(), now(), meeting(&present, true, None))
            .unwrap(),
        vec![CaseEvent::RapidReviewMeetingHeld(RapidReviewMeetingHeld {
            attendees: TEAM.iter().map(|slug| org(slug)).collect(),
            service_manager_present: true,
            occurred_at: now(),
        })]
    );
    check_occurred_at(&history, &business_manager(), now(), INITIATED, |at| {
        meeting(&TEAM, true, at)
    });
}

#[test]
fn record_rapid_review_meeting_refusals() {
    let history = given(requested());
    let by = business_manager();
    assert_eq!(
        refused_field(history.when(
            &by,
            now(),
            meeting(
                &[
                    "southend-council",
                    "nowhere",
                    "essex-police",
                    "southend-ccg"
                ],
                true,
                None
            )
        )),
        (Invalid, "organisation.unknown", "attendees[1]".into())
    );
    assert_eq!(
        refused_field(history.when(
            &by,
            now(),
            meeting(&["southend-council", "southend-ccg", "suhft"], true, None)
        )),
        (Invalid, "meeting.partners_absent", "attendees".into())
    );
    assert_eq!(
        refused_field(history.when(&by, now(), meeting(&TEAM, false, None))),
        (
            Invalid,
            "meeting.no_service_manager",
            "service_manager_present".into()
        )
    );
    assert_eq!(
        refused(given(first_draft_done()).when(&by, now(), meeting(&TEAM, true, None))),
        (Conflict, "rapid_review.meeting_already_held")
    );
}
