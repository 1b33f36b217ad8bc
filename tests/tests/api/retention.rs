//! Retention (issue 12): the partnership's periods per kind of case, and the list of closed
//! cases whose period has ended and whose personal details are still held.

use crate::subject_access::SubjectAccessSteps;
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

const SETTINGS: &str = "/v1/partnership/settings";
const DUE: &str = "/v1/retention/due";

/// Steps of this file's tests, on the shared harness's app.
trait RetentionSteps {
    async fn retention(&self) -> Value;
    /// A child case notified and closed in the past; returns its id.
    async fn closed_child(&self, born: &str, incident: &str, closed_at: &str) -> String;
    /// An adult case referred in 2010, the Board deciding on no review, closed in 2012.
    async fn closed_adult(&self) -> String;
    /// Every due case, page by page (`limit` at a time), by id.
    async fn due(&self, limit: usize) -> Vec<Value>;
}

impl RetentionSteps for TestApp {
    async fn retention(&self) -> Value {
        let partnership: Value = self
            .get("/v1/partnership", &self.admin())
            .await
            .json()
            .await
            .unwrap();
        partnership["settings"]["retention"].clone()
    }

    async fn closed_child(&self, born: &str, incident: &str, closed_at: &str) -> String {
        let mut body = notification();
        body["child"]["date_of_birth"] = json!(born);
        body["child"]["reference"] = json!(format!("REF-{incident}"));
        body["incident_date"] = json!(incident);
        body["became_aware_on"] = json!(incident);
        body["occurred_at"] = json!(format!("{incident}T12:00:00Z"));
        let response = self.notify(&body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
        let case_id = serde_json::from_str::<Value>(&text).unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        if !closed_at.is_empty() {
            let closed = self
                .post(
                    &format!("/v1/cases/{case_id}/closure"),
                    &self.business_manager(),
                    &json!({"reason": "criteria_not_met", "occurred_at": closed_at}),
                )
                .await;
            assert_eq!(
                closed.status(),
                StatusCode::OK,
                "{}",
                closed.text().await.unwrap()
            );
        }
        case_id
    }

    async fn closed_adult(&self) -> String {
        let referral = json!({
            "adult": {"reference": "EPUT-SA-10-0001", "given_name": "Ada", "family_name": "Reed",
                      "date_of_birth": "1940-05-01", "sex": "female", "ethnicity": "White British"},
            "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "suspected",
            "serious_abuse_or_neglect": false, "abuse_or_neglect_date": "2010-03-01",
            "joint_working_concern": false, "concerns": "Missed visits.",
            "occurred_at": "2010-03-10T10:00:00Z"
        });
        let referrer = self.token("eput", &[Role::AgencyUser]);
        let response = self
            .post("/v1/cases/sar-referrals", &referrer, &referral)
            .await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{text}");
        let case_id = serde_json::from_str::<Value>(&text).unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let partner = self.token("essex-police", &[Role::PartnerDecisionMaker]);
        let decided = self
            .post(
                &format!("/v1/cases/{case_id}/sar-decision"),
                &partner,
                &json!({"decision": "not_required", "rationale": "Criteria not met.",
                        "occurred_at": "2010-04-01T10:00:00Z"}),
            )
            .await;
        assert_eq!(
            decided.status(),
            StatusCode::OK,
            "{}",
            decided.text().await.unwrap()
        );
        let closed = self
            .post(
                &format!("/v1/cases/{case_id}/closure"),
                &self.business_manager(),
                &json!({"reason": "no_review", "occurred_at": "2012-01-16T10:00:00Z"}),
            )
            .await;
        assert_eq!(
            closed.status(),
            StatusCode::OK,
            "{}",
            closed.text().await.unwrap()
        );
        case_id
    }

    async fn due(&self, limit: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                None => format!("{DUE}?limit={limit}"),
                Some(c) => format!("{DUE}?limit={limit}&cursor={c}"),
            };
            let response = self.get(&path, &self.admin()).await;
            let status = response.status();
            let text = response.text().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{text}");
            let page: Value = serde_json::from_str(&text).unwrap();
            let got = page["items"].as_array().unwrap();
            assert!(got.len() <= limit);
            items.extend(got.iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => {
                    assert_eq!(got.len(), limit);
                    cursor = Some(next.to_owned());
                }
                None => return items,
            }
        }
    }
}

fn ids(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i["case_id"].as_str().unwrap())
        .collect()
}

both_backends!(
    retention_periods_round_trip_and_are_validated,
    |app: TestApp| async move {
        let admin = app.admin();
        assert_eq!(
            app.retention().await,
            json!({"child_until_age": 25, "child_years_after_closure": 6,
                   "adult_years_after_closure": 6, "domestic_homicide_years_after_closure": 6})
        );
        let chosen = json!({"child_until_age": 30, "child_years_after_closure": 10,
                            "adult_years_after_closure": 8,
                            "domestic_homicide_years_after_closure": 20});
        let settings = json!({"rapid_review_clock_start": "panel_notification",
                              "close_of_business": "17:00", "retention": chosen});
        let changed = app.post(SETTINGS, &admin, &settings).await;
        assert_eq!(changed.status(), StatusCode::OK);
        assert_eq!(app.retention().await, chosen);
        // A change that says nothing of retention keeps the partnership's periods.
        let other = json!({"rapid_review_clock_start": "became_aware",
                           "close_of_business": "16:30"});
        let changed = app.post(SETTINGS, &admin, &other).await;
        assert_eq!(changed.status(), StatusCode::OK);
        assert_eq!(app.retention().await, chosen);
        // Out of range: 422 naming the field, and nothing changes.
        for (field, value) in [
            ("child_until_age", 17),
            ("child_until_age", 101),
            ("child_years_after_closure", 0),
            ("adult_years_after_closure", 0),
            ("domestic_homicide_years_after_closure", 101),
        ] {
            let mut bad = settings.clone();
            bad["retention"][field] = json!(value);
            let refused = app.post(SETTINGS, &admin, &bad).await;
            let body = problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "field.invalid").await;
            assert_eq!(
                body["errors"][0]["field"],
                format!("retention.{field}"),
                "{body}"
            );
        }
        let mut unknown = settings.clone();
        unknown["retention"]["forever"] = json!(true);
        let refused = app.post(SETTINGS, &admin, &unknown).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let mut partial = settings.clone();
        partial["retention"] = json!({"child_until_age": 25});
        let refused = app.post(SETTINGS, &admin, &partial).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(app.retention().await, chosen);
        // Only an admin changes it.
        let refused = app.post(SETTINGS, &app.business_manager(), &settings).await;
        problem(refused, StatusCode::FORBIDDEN, "auth.role_required").await;
    }
);

both_backends!(
    only_admins_and_business_managers_list_the_due_cases,
    |app: TestApp| async move {
        for role in Role::ALL {
            let token = app.token("southend-council", &[role]);
            let response = app.get(DUE, &token).await;
            if matches!(role, Role::Admin | Role::BusinessManager) {
                assert_eq!(response.status(), StatusCode::OK, "{role:?}");
            } else {
                problem(response, StatusCode::FORBIDDEN, "auth.role_required").await;
            }
        }
        let bad = app.get(&format!("{DUE}?limit=0"), &app.admin()).await;
        problem(bad, StatusCode::BAD_REQUEST, "query.invalid_limit").await;
        let bad = app.get(&format!("{DUE}?cursor=nope"), &app.admin()).await;
        problem(bad, StatusCode::BAD_REQUEST, "query.invalid_cursor").await;
    }
);

both_backends!(
    the_due_list_holds_the_cases_whose_period_has_ended_and_not_yet_erased,
    |app: TestApp| async move {
        // Born 1990, closed 2001: both the end of 2015 (25th birthday) and 2007 have passed.
        let old = app
            .closed_child("1990-01-01", "2000-06-01", "2001-01-10T10:00:00Z")
            .await;
        // Closed 2016, six years passed in 2022, but born 2010: kept to the end of 2035.
        let young = app
            .closed_child("2010-03-01", "2015-06-01", "2016-01-11T10:00:00Z")
            .await;
        // Closed this year: six years to go.
        let recent = app
            .closed_child("2008-03-01", "2024-06-03", "2024-07-01T10:00:00Z")
            .await;
        // Never closed.
        let open = app.closed_child("1990-01-01", "2000-06-01", "").await;
        let adult = app.closed_adult().await;

        let due = app.due(50).await;
        assert_eq!(ids(&due), [old.as_str(), adult.as_str()], "{due:?}");
        let child = &due[0];
        assert_eq!(child["kind"], "child");
        assert_eq!(child["reference"], "REF-2000-06-01");
        assert_eq!(child["closed_at"], "2001-01-10T10:00:00Z");
        // The later of the two rules, and only the year of birth shows.
        assert_eq!(child["retention_ends_on"], "2015-12-31");
        assert_eq!(child["erasure"], format!("/v1/cases/{old}/erasure"));
        assert_eq!(due[1]["kind"], "adult");
        assert_eq!(due[1]["retention_ends_on"], "2018-01-16");
        assert!(!json!(due).to_string().contains("1990"));
        for kept in [&young, &recent, &open] {
            assert!(!ids(&due).contains(&kept.as_str()));
        }
        // Pages of one give the same cases.
        let paged = app.due(1).await;
        assert_eq!(ids(&paged), ids(&due));
        // The business manager reads the same list.
        let as_bm: Value = app
            .get(DUE, &app.business_manager())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(as_bm["items"], json!(due));

        // A longer period for adults keeps the adult case.
        let settings = json!({"rapid_review_clock_start": "panel_notification",
            "close_of_business": "17:00",
            "retention": {"child_until_age": 25, "child_years_after_closure": 6,
                          "adult_years_after_closure": 20,
                          "domestic_homicide_years_after_closure": 6}});
        let changed = app.post(SETTINGS, &app.admin(), &settings).await;
        assert_eq!(changed.status(), StatusCode::OK);
        assert_eq!(ids(&app.due(50).await), [old.as_str()]);

        // Erased, the child case leaves the list.
        app.erase_key(&old).await;
        assert!(app.due(50).await.is_empty());
    }
);
