//! A whole rapid review over HTTP, backdated onto the worked example of domain.md: day 0 is
//! Friday 9 September 2022, and Monday 19 September 2022 was a bank holiday.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub(crate) struct Review<'a> {
    pub(crate) app: &'a TestApp,
    pub(crate) case: String,
}

impl Review<'_> {
    pub(crate) async fn open(app: &TestApp) -> Review<'_> {
        let review = Review::notified(app).await;
        review
            .ok(
                &app.notifier(),
                "panel-notification",
                json!({"panel_reference": "CSPRP-1", "submitted_on": "2022-09-09"}),
            )
            .await;
        review
    }

    /// A case notified on 7 September 2022, the Panel not notified yet.
    pub(crate) async fn notified(app: &TestApp) -> Review<'_> {
        let mut body = notification();
        body["incident_date"] = json!("2022-09-05");
        body["became_aware_on"] = json!("2022-09-07");
        body["occurred_at"] = json!("2022-09-07T10:00:00Z");
        let response = app.notify(&body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        Review { app, case }
    }

    pub(crate) async fn send(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.app
            .post(&format!("/v1/cases/{}/{path}", self.case), token, &body)
            .await
    }

    pub(crate) async fn ok(&self, token: &str, path: &str, body: Value) -> Value {
        let response = self.send(token, path, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub(crate) async fn read(&self) -> Value {
        self.app
            .get(&format!("/v1/cases/{}", self.case), &self.manager())
            .await
            .json()
            .await
            .unwrap()
    }

    pub(crate) fn manager(&self) -> String {
        self.app.token("southend-council", &[Role::BusinessManager])
    }

    pub(crate) fn agency(&self, org: &str) -> String {
        self.app.token(org, &[Role::AgencyUser])
    }

    pub(crate) fn partner(&self, org: &str) -> String {
        self.app.token(org, &[Role::PartnerDecisionMaker])
    }

    /// Runs the review up to the reports, with the hospital's report at `hospital_report_at`.
    pub(crate) async fn to_reports(&self, hospital_report_at: &str) {
        let bm = self.manager();
        self.ok(
            &bm,
            "rapid-review",
            json!({"occurred_at": "2022-09-09T12:00:00Z"}),
        )
        .await;
        self.ok(
            &bm,
            "rapid-review/partners-notified",
            json!({"occurred_at": "2022-09-12T09:00:00Z"}),
        )
        .await;
        self.ok(&self.partner("essex-police"), "rapid-review/partner-leads",
            json!({"partner": "police", "lead_name": "DI Sam Jones", "occurred_at": "2022-09-12T10:00:00Z"})).await;
        self.ok(&bm, "rapid-review/review-lead",
            json!({"lead_name": "Jo Patel", "organisation": "southend-council", "occurred_at": "2022-09-12T11:00:00Z"})).await;
        for org in ["suhft", "essex-police"] {
            self.ok(
                &bm,
                "agency-report-requests",
                json!({"organisation": org, "occurred_at": "2022-09-12T12:00:00Z"}),
            )
            .await;
        }
        let report = |at: &str| {
            json!({"organisation": "suhft", "involvement": "ED attendance.",
            "summary": "Injuries recorded.", "learning": "Body map missed.", "occurred_at": at})
        };
        self.ok(
            &self.agency("suhft"),
            "agency-reports",
            report(hospital_report_at),
        )
        .await;
        let mut police = report("2022-09-16T10:00:00Z");
        police["organisation"] = json!("essex-police");
        self.ok(&self.agency("essex-police"), "agency-reports", police)
            .await;
    }

    /// Runs the rest of the review, on time.
    pub(crate) async fn to_submission(&self) {
        self.to_sign_off().await;
        self.ok(
            &self.manager(),
            "rapid-review/submission",
            json!({"national_review_may_be_appropriate": false,
                "occurred_at": "2022-10-03T15:00:00Z"}),
        )
        .await;
    }

    /// Runs the review after the reports up to the Independent Advisor's sign-off and the
    /// partners' decision (an LCSPR, on 29 September 2022).
    pub(crate) async fn to_sign_off(&self) {
        let bm = self.manager();
        self.ok(
            &bm,
            "rapid-review/reports-circulated",
            json!({"occurred_at": "2022-09-21T09:00:00Z"}),
        )
        .await;
        self.ok(
            &bm,
            "rapid-review/meeting",
            json!({
            "attendees": ["southend-council", "essex-police", "southend-ccg", "suhft"],
            "service_manager_present": true, "occurred_at": "2022-09-22T13:00:00Z"}),
        )
        .await;
        let reviewer = self.app.token("southend-council", &[Role::Reviewer]);
        for (milestone, at) in [
            ("first_draft_completed", "2022-09-27T16:00:00Z"),
            ("draft_circulated", "2022-09-28T08:00:00Z"),
        ] {
            self.ok(
                &reviewer,
                "rapid-review/drafts",
                json!({"milestone": milestone, "occurred_at": at}),
            )
            .await;
        }
        let team = ["southend-council", "essex-police", "southend-ccg", "suhft"];
        for org in team {
            self.ok(
                &self.agency(org),
                "rapid-review/draft-comments",
                json!({"organisation": org, "occurred_at": "2022-09-28T13:00:00Z"}),
            )
            .await;
        }
        self.ok(
            &reviewer,
            "rapid-review/drafts",
            json!({"milestone": "second_draft_finalised", "occurred_at": "2022-09-28T15:30:00Z"}),
        )
        .await;
        for org in team {
            self.ok(
                &self.agency(org),
                "rapid-review/sign-offs",
                json!({"organisation": org, "occurred_at": "2022-09-29T12:00:00Z"}),
            )
            .await;
        }
        for (org, partner) in [
            ("essex-police", "police"),
            ("southend-council", "local_authority"),
        ] {
            self.ok(
                &self.partner(org),
                "decisions",
                json!({
                "partner": partner, "decision": "lcspr", "criteria": ["improvements_needed"],
                "rationale": "Agencies' information sharing needs examining.",
                "occurred_at": "2022-09-29T15:00:00Z"}),
            )
            .await;
        }
        let advisor = self
            .app
            .token("southend-council", &[Role::IndependentAdvisor]);
        self.ok(
            &advisor,
            "rapid-review/independent-sign-off",
            json!({"occurred_at": "2022-09-30T10:00:00Z"}),
        )
        .await;
    }
}

pub(crate) fn statuses(case: &Value) -> BTreeMap<String, String> {
    case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let org = d["organisation"].as_str().unwrap_or("-");
            (
                format!("{}/{org}", d["kind"].as_str().unwrap()),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

both_backends!(a_rapid_review_on_time, |app: TestApp| async move {
    let review = Review::open(&app).await;
    review.to_reports("2022-09-20T15:00:00Z").await;
    review.to_submission().await;
    let case = review.read().await;
    assert_eq!(case["stage"], "submitted_to_panel");
    assert_eq!(case["rapid_review"]["day0"], "2022-09-09");
    assert_eq!(case["decision"]["decision"], "lcspr");
    assert_eq!(
        case["decision"]["agreed_by"],
        json!(["local_authority", "police"])
    );
    let deadlines = case["deadlines"].as_array().unwrap();
    let due = |kind: &str, org: Option<&str>| {
        deadlines
            .iter()
            .find(|d| d["kind"] == kind && (org.is_none() || d["organisation"] == org.unwrap()))
            .unwrap()["due_at"]
            .clone()
    };
    assert_eq!(
        due("rr_agency_report", Some("suhft")),
        "2022-09-20T16:00:00Z"
    );
    assert_eq!(due("rr_draft_circulated", None), "2022-09-28T08:30:00Z");
    assert_eq!(
        due("rr_draft_comments", Some("suhft")),
        "2022-09-28T14:00:00Z"
    );
    assert_eq!(due("rr_submission", None), "2022-10-03T22:59:59.999999Z");
    // The rapid review's and the Panel notification's (the LCSPR's clock has its own tests).
    let statuses: BTreeMap<_, _> = statuses(&case)
        .into_iter()
        .filter(|(kind, _)| kind.starts_with("rr_") || kind.starts_with("panel_notification/"))
        .collect();
    assert_eq!(statuses.len(), 19, "{statuses:?}");
    for (deadline, status) in &statuses {
        assert_eq!(status, "met", "{deadline}");
    }
    // The report's text and the rationale are sealed: not in the read model.
    assert!(!case.to_string().contains("Body map") && !case.to_string().contains("sharing"));
});

both_backends!(
    a_late_agency_report_is_met_late,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-21T09:00:00Z").await;
        let case = review.read().await;
        let report = case["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "rr_agency_report" && d["organisation"] == "suhft")
            .unwrap()
            .clone();
        assert_eq!(report["status"], "met_late");
        assert_eq!(report["late_by"], json!({"working_days": 1, "hours": 17}));
        assert_eq!(statuses(&case)["rr_agency_report/essex-police"], "met");
    }
);

both_backends!(rapid_review_rules_over_http, |app: TestApp| async move {
    let review = Review::open(&app).await;
    let bm = review.manager();
    // Nothing happens before the review is initiated.
    problem(
        review
            .send(&bm, "rapid-review/partners-notified", json!({}))
            .await,
        StatusCode::CONFLICT,
        "rapid_review.not_started",
    )
    .await;
    review
        .ok(
            &bm,
            "rapid-review",
            json!({"occurred_at": "2022-09-09T12:00:00Z"}),
        )
        .await;
    problem(
        review.send(&bm, "rapid-review", json!({})).await,
        StatusCode::CONFLICT,
        "rapid_review.already_initiated",
    )
    .await;
    // An agency cannot run the process: refused for the role before the case is looked up, so
    // one not involved learns nothing about the case either.
    problem(
        review
            .send(
                &review.agency("suhft"),
                "agency-report-requests",
                json!({"organisation": "suhft"}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;
    problem(
        review
            .send(
                &review.agency("essex-police"),
                "agency-report-requests",
                json!({"organisation": "suhft"}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "auth.role_required",
    )
    .await;
    review
        .ok(
            &bm,
            "agency-report-requests",
            json!({"organisation": "suhft"}),
        )
        .await;
    let report =
        json!({"organisation": "suhft", "involvement": "a", "summary": "b", "learning": "c"});
    // Another agency cannot submit the hospital's report.
    let mut foreign = report.clone();
    foreign["organisation"] = json!("suhft");
    problem(
        review
            .send(&review.agency("eput"), "agency-reports", foreign)
            .await,
        StatusCode::NOT_FOUND,
        "case.not_found",
    )
    .await;
    problem(
        review
            .send(
                &review.agency("essex-police"),
                "agency-reports",
                report.clone(),
            )
            .await,
        StatusCode::FORBIDDEN,
        "auth.own_organisation_only",
    )
    .await;
    review
        .ok(&review.agency("suhft"), "agency-reports", report.clone())
        .await;
    problem(
        review
            .send(&review.agency("suhft"), "agency-reports", report)
            .await,
        StatusCode::CONFLICT,
        "agency_report.already_submitted",
    )
    .await;
    // Partners vote for themselves only, once.
    let vote = json!({"partner": "health", "decision": "no_lcspr", "rationale": "r"});
    problem(
        review
            .send(&review.partner("essex-police"), "decisions", vote.clone())
            .await,
        StatusCode::FORBIDDEN,
        "auth.own_partner_only",
    )
    .await;
    review
        .ok(&review.partner("southend-ccg"), "decisions", vote.clone())
        .await;
    problem(
        review
            .send(&review.partner("southend-ccg"), "decisions", vote)
            .await,
        StatusCode::CONFLICT,
        "decision.already_voted",
    )
    .await;
    // Unknown organisations and malformed slugs are refused with the field.
    let refused = problem(
        review
            .send(
                &bm,
                "agency-report-requests",
                json!({"organisation": "nobody"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "organisation.unknown",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "organisation");
    problem(
        review
            .send(
                &bm,
                "agency-report-requests",
                json!({"organisation": "Not A Slug"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "organisation.invalid_slug",
    )
    .await;
    // Submission needs the sign-off and a decision.
    problem(
        review
            .send(
                &bm,
                "rapid-review/submission",
                json!({"national_review_may_be_appropriate": false}),
            )
            .await,
        StatusCode::CONFLICT,
        "rapid_review.not_signed_off",
    )
    .await;
});
