//! Safeguarding adult reviews and domestic homicide reviews over HTTP, from the case's opening
//! to publication and closure, backdated so every deadline's status is known.

use crate::rapid_review::statuses;
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, deadline, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A case opened over HTTP, with the tokens its story needs.
struct Case<'a> {
    app: &'a TestApp,
    id: String,
}

impl Case<'_> {
    async fn open<'a>(app: &'a TestApp, path: &str, token: &str, body: Value) -> Case<'a> {
        let response = app.post(path, token, &body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
        let id = serde_json::from_str::<Value>(&text).unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        Case { app, id }
    }

    async fn send(&self, token: &str, path: &str, body: Value) -> reqwest::Response {
        self.app
            .post(&format!("/v1/cases/{}/{path}", self.id), token, &body)
            .await
    }

    async fn ok(&self, token: &str, path: &str, body: Value) {
        let response = self.send(token, path, body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
    }

    async fn read_as(&self, token: &str) -> reqwest::Response {
        self.app.get(&format!("/v1/cases/{}", self.id), token).await
    }

    async fn read(&self) -> Value {
        self.read_as(&self.manager()).await.json().await.unwrap()
    }

    fn manager(&self) -> String {
        self.app.token("southend-council", &[Role::BusinessManager])
    }

    fn agency(&self, org: &str) -> String {
        self.app.token(org, &[Role::AgencyUser])
    }
}

/// A living adult, seriously neglected up to 20 December 2022, referred by the mental health
/// trust on Tuesday 10 January 2023.
fn sar_referral() -> Value {
    json!({
        "adult": {
            "reference": "EPUT-SA-23-0057", "given_name": "Robert", "family_name": "Hale",
            "date_of_birth": "1950-05-01", "sex": "male", "ethnicity": "White Other"
        },
        "care_and_support_needs": true,
        "adult_died": false,
        "abuse_or_neglect": "known",
        "serious_abuse_or_neglect": true,
        "abuse_or_neglect_date": "2022-12-20",
        "joint_working_concern": true,
        "concerns": "Self-neglect over two years; information was not shared.",
        "occurred_at": "2023-01-10T10:00:00Z"
    })
}

both_backends!(
    a_paused_safeguarding_adult_review_from_referral_to_publication,
    |app: TestApp| async move {
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let sar = Case::open(&app, "/v1/cases/sar-referrals", &referrer, sar_referral()).await;
        let bm = sar.manager();
        let case = sar.read().await;
        assert_eq!(case["kind"], "adult");
        assert_eq!(case["stage"], "sar_referred");
        assert_eq!(case["origin"], "referral");
        assert_eq!(case["opened_by"], "eput");
        assert_eq!(case["child"], Value::Null);
        assert_eq!(case["adult"]["age_band"], "65_to_74");
        assert_eq!(case["adult"]["mandatory_criteria_met"], true);
        assert_eq!(case["adult"]["care_and_support_needs"], true);
        assert_eq!(case["adult"]["condition_2_met"], true);
        assert_eq!(case["adult"]["condition_1_met"], false);
        assert_eq!(case["adult"]["abuse_or_neglect_date"], "2022-12-20");
        assert_eq!(case["deadlines"], json!([]));
        assert!(!case.to_string().contains("Robert"), "{case}");
        // The referrer sees its case; an uninvolved agency does not.
        assert_eq!(sar.read_as(&referrer).await.status(), StatusCode::OK);
        problem(
            sar.read_as(&sar.agency("southend-schools")).await,
            StatusCode::NOT_FOUND,
            "case.not_found",
        )
        .await;
        // A child's rapid review has no place in an adult case.
        problem(
            sar.send(&bm, "rapid-review", json!({})).await,
            StatusCode::CONFLICT,
            "case.wrong_kind",
        )
        .await;

        let partner = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        sar.ok(
            &partner,
            "sar-decision",
            json!({"decision": "mandatory",
            "rationale": "The s44(1) criteria are met.", "occurred_at": "2023-02-01T10:00:00Z"}),
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "sar_decided");
        assert_eq!(case["sar"]["decision"], "mandatory");
        let due = deadline(&case, "sar_completion");
        assert_eq!(due["due_at"], "2023-08-01T22:59:59.999999Z");
        assert_eq!(due["fulfilled_by"], "CompleteSar");

        // The referrer is involved in the case: not an independent reviewer.
        problem(
            sar.send(
                &bm,
                "sar-commission",
                json!({"reviewer": "R", "reviewer_organisation": "eput",
                "terms_of_reference": "T"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "sar.reviewer_not_independent",
        )
        .await;
        sar.ok(
            &bm,
            "sar-commission",
            json!({"reviewer": "Gwen Ashcombe",
            "terms_of_reference": "Agencies' response to self-neglect.",
            "occurred_at": "2023-02-15T10:00:00Z"}),
        )
        .await;
        assert_eq!(sar.read().await["stage"], "sar_in_progress");

        // Agency reports: the same endpoints as the rapid review's.
        sar.ok(
            &bm,
            "agency-report-requests",
            json!({"organisation": "suhft",
            "occurred_at": "2023-02-16T10:00:00Z"}),
        )
        .await;
        problem(
            sar.send(
                &sar.agency("eput"),
                "agency-reports",
                json!({"organisation": "suhft",
                "involvement": "i", "summary": "s", "learning": "l"}),
            )
            .await,
            StatusCode::FORBIDDEN,
            "auth.own_organisation_only",
        )
        .await;
        sar.ok(
            &sar.agency("suhft"),
            "agency-reports",
            json!({"organisation": "suhft",
            "involvement": "Admissions in 2022.", "summary": "Discharged without a care plan.",
            "learning": "Discharge planning.", "occurred_at": "2023-02-20T10:00:00Z"}),
        )
        .await;
        sar.ok(
            &bm,
            "family-invited",
            json!({"occurred_at": "2023-02-21T10:00:00Z"}),
        )
        .await;

        sar.ok(
            &bm,
            "sar-pauses",
            json!({"reason": "Criminal proceedings.",
            "occurred_at": "2023-03-01T10:00:00Z"}),
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "sar_paused");
        assert_eq!(case["sar"]["paused"], true);
        // The clock stands still: never breached while paused, and the extended date shows
        // beside the original six-month one.
        assert_eq!(statuses(&case)["sar_completion/-"], "pending");
        let due = deadline(&case, "sar_completion");
        assert_eq!(due["original_due_at"], "2023-08-01T22:59:59.999999Z");
        assert_ne!(due["due_at"], due["original_due_at"]);
        problem(
            sar.send(
                &bm,
                "sar-completion",
                json!({"principles_with_findings": [],
                "findings": "f"}),
            )
            .await,
            StatusCode::CONFLICT,
            "sar.paused",
        )
        .await;
        sar.ok(
            &bm,
            "sar-resumption",
            json!({"occurred_at": "2023-03-31T10:00:00Z"}),
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "sar_in_progress");
        // Thirty paused days later than 1 August; the original stays visible.
        let due = deadline(&case, "sar_completion");
        assert_eq!(due["due_at"], "2023-08-31T22:59:59.999999Z");
        assert_eq!(due["original_due_at"], "2023-08-01T22:59:59.999999Z");
        assert_eq!(due["status"], "breached");

        problem(
            sar.send(&bm, "publication", json!({})).await,
            StatusCode::CONFLICT,
            "sar.not_completed",
        )
        .await;
        let reviewer = app.token("southend-council", &[Role::Reviewer]);
        sar.ok(
            &reviewer,
            "sar-completion",
            json!({
            "principles_with_findings": ["partnership", "prevention", "partnership"],
            "findings": "No agency led on the self-neglect concerns.",
            "occurred_at": "2023-08-20T10:00:00Z"}),
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "sar_completed");
        assert_eq!(
            case["sar"]["principles_with_findings"],
            json!(["prevention", "partnership"])
        );
        assert_eq!(statuses(&case)["sar_completion/-"], "met");

        sar.ok(
            &bm,
            "publication",
            json!({"url": "https://example.org/sar/adult-b",
            "occurred_at": "2023-09-01T10:00:00Z"}),
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "published");
        assert_eq!(case["sar"]["url"], "https://example.org/sar/adult-b");
        sar.ok(
            &bm,
            "closure",
            json!({"reason": "review_published",
            "occurred_at": "2023-09-05T10:00:00Z"}),
        )
        .await;

        let case = sar.read().await;
        assert_eq!(case["stage"], "closed");
        assert_eq!(statuses(&case)["sar_completion/-"], "met");
        let sar_view = &case["sar"];
        assert_eq!(sar_view["agency_reports"][0]["organisation"], "suhft");
        assert_eq!(sar_view["family_invited_at"], "2023-02-21T10:00:00Z");
        assert_eq!(
            sar_view["pauses"],
            json!([{"paused_at": "2023-03-01T10:00:00Z", "resumed_at": "2023-03-31T10:00:00Z"}])
        );
        assert_eq!(case["involved_organisations"], json!(["eput", "suhft"]));
        // The adult's details stay sealed in the events and open for those who need them.
        let details: Value = app
            .get(&format!("/v1/cases/{}/personal-details", sar.id), &bm)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(details["given_name"], "Robert");
        assert_eq!(
            details["summary"],
            "Self-neglect over two years; information was not shared."
        );
    }
);

both_backends!(
    safeguarding_adult_review_refusals,
    |app: TestApp| async move {
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let mut child = sar_referral();
        child["adult"]["date_of_birth"] = json!("2005-01-11");
        problem(
            app.post("/v1/cases/sar-referrals", &referrer, &child).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "referral.not_an_adult",
        )
        .await;
        let mut typo = sar_referral();
        typo["adult_dead"] = json!(true);
        problem(
            app.post("/v1/cases/sar-referrals", &referrer, &typo).await,
            StatusCode::BAD_REQUEST,
            "body.invalid",
        )
        .await;
        problem(
            app.post("/v1/cases/sar-referrals", &app.notifier(), &sar_referral())
                .await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        let mut not_working_together = sar_referral();
        not_working_together["joint_working_concern"] = json!(false);
        let sar = Case::open(
            &app,
            "/v1/cases/sar-referrals",
            &referrer,
            not_working_together,
        )
        .await;
        let bm = sar.manager();
        let refusal = problem(
            sar.send(
                &bm,
                "sar-decision",
                json!({"decision": "mandatory", "rationale": "r"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "sar.criteria_not_met",
        )
        .await;
        assert!(
            refusal["detail"]
                .as_str()
                .unwrap()
                .contains("worked together"),
            "{refusal}"
        );
        sar.ok(
            &bm,
            "sar-decision",
            json!({"decision": "not_required", "rationale": "r"}),
        )
        .await;
        problem(
            sar.send(
                &bm,
                "sar-commission",
                json!({"reviewer": "R", "terms_of_reference": "T"}),
            )
            .await,
            StatusCode::CONFLICT,
            "sar.not_required",
        )
        .await;
        // A domestic homicide review's command on an adult case.
        problem(
            sar.send(&bm, "home-office-submission", json!({})).await,
            StatusCode::CONFLICT,
            "case.wrong_kind",
        )
        .await;
        let case = sar.read().await;
        assert_eq!(case["stage"], "sar_decided");
        assert_eq!(case["deadlines"], json!([]));
    }
);

/// The police notify the death of Sunday 9 April 2023 on Tuesday 18 April.
fn dhr_notification() -> Value {
    json!({
        "victim": {
            "reference": "EP-DH-2023-014", "given_name": "Grace", "family_name": "Okafor",
            "date_of_birth": "1975-06-30", "sex": "female", "ethnicity": "Black British"
        },
        "date_of_death": "2023-04-09",
        "relationship": "former_intimate_partner",
        "violence_abuse_or_neglect": "suspected",
        "summary": "Died at home; her former partner has been charged.",
        "occurred_at": "2023-04-18T15:00:00Z"
    })
}

both_backends!(
    a_domestic_homicide_review_from_notification_to_publication,
    |app: TestApp| async move {
        let police = app.token("essex-police", &[Role::Notifier]);
        let dhr = Case::open(
            &app,
            "/v1/cases/dhr-notifications",
            &police,
            dhr_notification(),
        )
        .await;
        let bm = dhr.manager();
        let case = dhr.read().await;
        assert_eq!(case["kind"], "domestic_homicide");
        assert_eq!(case["stage"], "dhr_notified");
        assert_eq!(case["origin"], "notification");
        assert_eq!(case["victim"]["age_band"], "45_to_54");
        assert_eq!(case["victim"]["date_of_death"], "2023-04-09");
        assert_eq!(case["victim"]["relationship"], "former_intimate_partner");
        assert_eq!(case["victim"]["violence_abuse_or_neglect"], "suspected");
        assert_eq!(case["child"], Value::Null);
        assert!(!case.to_string().contains("Okafor"), "{case}");
        // Decision due a month after the notification, at the end of the day (BST); long past.
        let due = deadline(&case, "dhr_decision");
        assert_eq!(due["due_at"], "2023-05-18T22:59:59.999999Z");
        assert_eq!(due["status"], "breached");
        assert_eq!(due["fulfilled_by"], "RecordDhrDecision");

        dhr.ok(
            &bm,
            "dhr-decision",
            json!({"conduct_review": true,
            "rationale": "The statutory criteria are met.", "occurred_at": "2023-05-11T13:00:00Z"}),
        )
        .await;
        let case = dhr.read().await;
        assert_eq!(case["stage"], "dhr_decided");
        assert_eq!(statuses(&case)["dhr_decision/-"], "met");
        // The Home Office is told of the decision by the end of 18 May, when it was due.
        let told = deadline(&case, "dhr_home_office_notification");
        assert_eq!(told["due_at"], "2023-05-18T22:59:59.999999Z");
        assert_eq!(told["status"], "breached");
        dhr.ok(
            &bm,
            "home-office-decision-notification",
            json!({"occurred_at": "2023-05-12T09:15:00Z"}),
        )
        .await;
        dhr.ok(
            &bm,
            "dhr-family-involvement",
            json!({"involvement": "invited", "occurred_at": "2023-05-15T14:30:00Z"}),
        )
        .await;
        problem(
            dhr.send(
                &bm,
                "dhr-family-involvement",
                json!({"involvement": "invited"}),
            )
            .await,
            StatusCode::CONFLICT,
            "dhr.family_step_already_recorded",
        )
        .await;
        let case = dhr.read().await;
        assert_eq!(statuses(&case)["dhr_home_office_notification/-"], "met");
        assert_eq!(
            case["dhr"]["home_office_notified_at"],
            "2023-05-12T09:15:00Z"
        );
        assert_eq!(
            case["dhr"]["family_involvement"],
            json!([{"involvement": "invited", "occurred_at": "2023-05-15T14:30:00Z"}])
        );
        assert_eq!(
            deadline(&case, "dhr_completion")["due_at"],
            "2023-11-11T23:59:59.999999Z"
        );
        // A safeguarding adult review's command on a domestic homicide case.
        problem(
            dhr.send(&bm, "sar-pauses", json!({"reason": "r"})).await,
            StatusCode::CONFLICT,
            "case.wrong_kind",
        )
        .await;

        dhr.ok(
            &bm,
            "dhr-commission",
            json!({"chair": "Idris Falconbridge",
            "terms_of_reference": "Contact with the victim since 2019.",
            "occurred_at": "2023-06-01T10:00:00Z"}),
        )
        .await;
        assert_eq!(dhr.read().await["stage"], "dhr_in_progress");
        problem(
            dhr.send(&bm, "home-office-submission", json!({})).await,
            StatusCode::CONFLICT,
            "dhr.not_completed",
        )
        .await;
        dhr.ok(
            &bm,
            "dhr-completion",
            json!({"overview": "Missed chances to ask about coercive control.",
            "occurred_at": "2023-11-30T15:00:00Z"}),
        )
        .await;
        let case = dhr.read().await;
        assert_eq!(case["stage"], "dhr_completed");
        assert_eq!(statuses(&case)["dhr_completion/-"], "met_late");
        problem(
            dhr.send(&bm, "publication", json!({})).await,
            StatusCode::CONFLICT,
            "dhr.not_submitted_to_home_office",
        )
        .await;
        dhr.ok(
            &bm,
            "home-office-submission",
            json!({"occurred_at": "2023-12-06T10:30:00Z"}),
        )
        .await;
        assert_eq!(dhr.read().await["stage"], "submitted_to_home_office");
        // Not published before the quality assurance panel's outcome, nor on a request to
        // resubmit.
        problem(
            dhr.send(&bm, "publication", json!({})).await,
            StatusCode::CONFLICT,
            "dhr.qa_outcome_pending",
        )
        .await;
        dhr.ok(
            &bm,
            "home-office-qa-outcome",
            json!({"outcome": "resubmission_requested", "occurred_at": "2024-01-10T10:00:00Z"}),
        )
        .await;
        assert_eq!(dhr.read().await["stage"], "dhr_completed");
        problem(
            dhr.send(&bm, "publication", json!({})).await,
            StatusCode::CONFLICT,
            "dhr.resubmission_requested",
        )
        .await;
        dhr.ok(
            &bm,
            "home-office-submission",
            json!({"occurred_at": "2024-01-15T10:00:00Z"}),
        )
        .await;
        dhr.ok(
            &bm,
            "home-office-qa-outcome",
            json!({"outcome": "approved_for_publication", "occurred_at": "2024-02-14T11:00:00Z"}),
        )
        .await;
        let case = dhr.read().await;
        assert_eq!(case["dhr"]["qa_outcome"], "approved_for_publication");
        assert_eq!(case["dhr"]["qa_outcome_at"], "2024-02-14T11:00:00Z");
        dhr.ok(
            &bm,
            "publication",
            json!({"url": "https://example.org/dhr/grace",
            "occurred_at": "2024-03-01T10:00:00Z"}),
        )
        .await;
        let case = dhr.read().await;
        assert_eq!(case["stage"], "published");
        assert_eq!(case["dhr"]["chair"], "Idris Falconbridge");
        assert_eq!(
            case["dhr"]["submitted_to_home_office_at"],
            "2024-01-15T10:00:00Z"
        );
        assert_eq!(case["dhr"]["url"], "https://example.org/dhr/grace");
        dhr.ok(&bm, "closure", json!({"reason": "review_published"}))
            .await;
        let case = dhr.read().await;
        assert_eq!(case["stage"], "closed");
        let statuses = statuses(&case);
        assert_eq!(statuses["dhr_decision/-"], "met");
        assert_eq!(statuses["dhr_completion/-"], "met_late");

        // Every kind in the list, with its reference.
        let list: Value = app.get("/v1/cases", &bm).await.json().await.unwrap();
        let item = &list["items"][0];
        assert_eq!(item["reference"], "EP-DH-2023-014");
        assert_eq!(item["kind"], "domestic_homicide");
    }
);

both_backends!(
    a_domestic_homicide_notification_is_for_a_victim_aged_16_or_over,
    |app: TestApp| async move {
        let police = app.token("essex-police", &[Role::Notifier]);
        let mut body = dhr_notification();
        body["victim"]["date_of_birth"] = json!("2010-01-01");
        problem(
            app.post("/v1/cases/dhr-notifications", &police, &body)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "notification.criteria_not_met",
        )
        .await;
        problem(
            app.post(
                "/v1/cases/dhr-notifications",
                &app.token("suhft", &[Role::AgencyUser]),
                &dhr_notification(),
            )
            .await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
    }
);

both_backends!(
    a_person_who_died_aged_17_belongs_in_the_child_process,
    |app: TestApp| async move {
        let referrer = app.token("eput", &[Role::AgencyUser]);
        // Died on 20 December 2022 aged 17; 18 by the referral of 10 January 2023.
        let mut body = sar_referral();
        body["adult"]["date_of_birth"] = json!("2005-01-05");
        body["adult_died"] = json!(true);
        body["date_of_death"] = json!("2022-12-20");
        body["death_resulted_from_abuse_or_neglect"] = json!(true);
        body["serious_abuse_or_neglect"] = Value::Null;
        body["abuse_or_neglect_date"] = Value::Null;
        let refusal = problem(
            app.post("/v1/cases/sar-referrals", &referrer, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "referral.not_an_adult",
        )
        .await;
        let detail = refusal["detail"].as_str().unwrap();
        assert!(detail.contains("child safeguarding process"), "{refusal}");
        assert!(
            !refusal.to_string().contains("2005") && !refusal.to_string().contains("Robert"),
            "{refusal}"
        );
        // 18 on the day they died: a safeguarding adult review, condition 1.
        body["adult"]["date_of_birth"] = json!("2004-12-20");
        let sar = Case::open(&app, "/v1/cases/sar-referrals", &referrer, body.clone()).await;
        let case = sar.read().await;
        assert_eq!(case["adult"]["age_band"], "18_to_24");
        assert_eq!(case["adult"]["date_of_death"], "2022-12-20");
        assert_eq!(case["adult"]["condition_1_met"], true);
        assert_eq!(case["adult"]["mandatory_criteria_met"], true);
        // The date of death is what the law needs to judge the age: required.
        body["date_of_death"] = Value::Null;
        let refusal = problem(
            app.post("/v1/cases/sar-referrals", &referrer, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "field.required",
        )
        .await;
        assert_eq!(refusal["errors"][0]["field"], "date_of_death", "{refusal}");
        // Without care and support needs a review is discretionary at most.
        let mut no_needs = sar_referral();
        no_needs["care_and_support_needs"] = json!(false);
        let sar = Case::open(&app, "/v1/cases/sar-referrals", &referrer, no_needs).await;
        assert_eq!(sar.read().await["adult"]["mandatory_criteria_met"], false);
        problem(
            sar.send(
                &sar.manager(),
                "sar-decision",
                json!({"decision": "mandatory", "rationale": "r"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "sar.criteria_not_met",
        )
        .await;
    }
);

both_backends!(
    a_domestic_homicide_notification_must_meet_the_relationship_test,
    |app: TestApp| async move {
        let police = app.token("essex-police", &[Role::Notifier]);
        for (field, value) in [
            ("relationship", "other"),
            ("violence_abuse_or_neglect", "not_suspected"),
        ] {
            let mut body = dhr_notification();
            body[field] = json!(value);
            let refusal = problem(
                app.post("/v1/cases/dhr-notifications", &police, &body)
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
                "dhr.relationship_test_not_met",
            )
            .await;
            assert_eq!(refusal["errors"][0]["field"], field, "{refusal}");
        }
        let mut missing = dhr_notification();
        missing.as_object_mut().unwrap().remove("relationship");
        problem(
            app.post("/v1/cases/dhr-notifications", &police, &missing)
                .await,
            StatusCode::BAD_REQUEST,
            "body.invalid",
        )
        .await;
        let mut household = dhr_notification();
        household["relationship"] = json!("household_member");
        let dhr = Case::open(&app, "/v1/cases/dhr-notifications", &police, household).await;
        assert_eq!(
            dhr.read().await["victim"]["relationship"],
            "household_member"
        );
        // Nothing was written by the refusals: one case in the list.
        let list: Value = app
            .get("/v1/cases", &dhr.manager())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    }
);
