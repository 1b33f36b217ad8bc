//! The audit trail: who did what, when and on which request, as auditors and agencies see it.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A case and the request ids of the commands that built it, in order.
struct Trail {
    case_id: String,
    /// (command, user, organisation, request id) of each command.
    commands: Vec<(&'static str, String, &'static str, String)>,
}

/// Steps of this file's tests, on the shared harness's app.
trait AuditTrailSteps {
    /// POST a command that must succeed; returns the response's `x-request-id`.
    async fn command_ok(&self, path: &str, token: &str, body: &Value) -> (Value, String);
    fn auditor(&self) -> String;
    /// Notifies, records the Panel notification, initiates the rapid review, asks the hospital
    /// (an agency, not a statutory partner) for a report and has it submitted: five commands
    /// by two users.
    async fn build_trail(&self) -> Trail;
    async fn trail_page(&self, path: &str, token: &str) -> Value;
    /// Every item of a trail, following the cursors.
    async fn whole_trail(&self, path: &str, token: &str, limit: usize) -> Vec<Value>;
}

impl AuditTrailSteps for TestApp {
    async fn command_ok(&self, path: &str, token: &str, body: &Value) -> (Value, String) {
        let response = self.post(path, token, body).await;
        let status = response.status();
        let request_id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        (serde_json::from_str(&text).unwrap(), request_id)
    }

    fn auditor(&self) -> String {
        self.token("southend-council", &[Role::Auditor])
    }

    async fn build_trail(&self) -> Trail {
        let notifier = self.notifier();
        let manager = self.token("southend-council", &[Role::BusinessManager]);
        let hospital = self.token("suhft", &[Role::AgencyUser]);
        let (accepted, notify_id) = self
            .command_ok("/v1/cases/notifications", &notifier, &notification())
            .await;
        let case_id = accepted["case_id"].as_str().unwrap().to_owned();
        let path = |p: &str| format!("/v1/cases/{case_id}/{p}");
        let (_, panel_id) = self
            .command_ok(
                &path("panel-notification"),
                &notifier,
                &json!({"panel_reference": "CSPRP-2022-1234", "submitted_on": "2022-12-29"}),
            )
            .await;
        let (_, initiate_id) = self
            .command_ok(&path("rapid-review"), &manager, &json!({}))
            .await;
        let (_, request_id) = self
            .command_ok(
                &path("agency-report-requests"),
                &manager,
                &json!({"organisation": "suhft"}),
            )
            .await;
        let report = json!({"organisation": "suhft", "involvement": "Attended twice.",
            "summary": "Officers saw bruising.", "learning": "Share referrals sooner."});
        let (_, submit_id) = self
            .command_ok(&path("agency-reports"), &hospital, &report)
            .await;
        let la = "user-southend-council".to_owned();
        Trail {
            case_id,
            commands: vec![
                ("NotifyIncident", la.clone(), "southend-council", notify_id),
                (
                    "RecordPanelNotification",
                    la.clone(),
                    "southend-council",
                    panel_id,
                ),
                (
                    "InitiateRapidReview",
                    la.clone(),
                    "southend-council",
                    initiate_id,
                ),
                ("RequestAgencyReport", la, "southend-council", request_id),
                (
                    "SubmitAgencyReport",
                    "user-suhft".to_owned(),
                    "suhft",
                    submit_id,
                ),
            ],
        }
    }

    async fn trail_page(&self, path: &str, token: &str) -> Value {
        let response = self.get(path, token).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        assert_no_personal_data(&text);
        serde_json::from_str(&text).unwrap()
    }

    async fn whole_trail(&self, path: &str, token: &str, limit: usize) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut page_path = format!("{path}{separator}limit={limit}");
            if let Some(cursor) = &cursor {
                page_path.push_str(&format!("&cursor={cursor}"));
            }
            let page = self.trail_page(&page_path, token).await;
            let page_items = page["items"].as_array().unwrap();
            assert!(page_items.len() <= limit);
            items.extend(page_items.iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }
}

/// The child's names, date of birth, reference and the sealed texts never leave the server.
fn assert_no_personal_data(text: &str) {
    for personal in [
        "Alex",
        "Smith",
        "2016-03-01",
        "SBC-2022-0412",
        "unexplained injuries",
        "bruising",
        "Attended twice",
        "Share referrals",
        "CSPRP-2022-1234",
    ] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}

fn commands_of(items: &[Value]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i["command"].as_str().unwrap_or_default())
        .collect()
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().unwrap().clone()
}

both_backends!(
    the_case_trail_records_who_did_what_on_which_request,
    |app: TestApp| async move {
        let trail = app.build_trail().await;
        let path = format!("/v1/cases/{}/audit-trail", trail.case_id);
        let entries = items(&app.trail_page(&path, &app.auditor()).await);
        assert_eq!(entries.len(), trail.commands.len(), "{entries:?}");
        let mut last_position = 0;
        for (entry, (command, user, org, request_id)) in entries.iter().zip(&trail.commands) {
            assert_eq!(entry["command"], *command, "{entry}");
            assert_eq!(entry["request_id"], *request_id, "{entry}");
            assert_eq!(entry["actor"]["user"], *user, "{entry}");
            assert_eq!(entry["actor"]["organisation"], *org, "{entry}");
            assert_eq!(entry["actor"]["name"], "Test User");
            assert!(
                entry["actor"]["roles"]
                    .as_array()
                    .is_some_and(|r| r.len() == 1)
            );
            assert_eq!(entry["case_id"], trail.case_id.as_str());
            assert!(entry["stream"].as_str().unwrap().ends_with(&trail.case_id));
            assert!(entry["correlation_id"].is_string());
            assert!(entry["occurred_at"].is_string() && entry["recorded_at"].is_string());
            assert!(!entry["summary"].as_str().unwrap().is_empty());
            let position = entry["position"].as_u64().unwrap();
            assert!(position > last_position);
            last_position = position;
        }
        assert_eq!(entries[0]["event_type"], "IncidentNotified");
        assert_eq!(
            entries[4]["summary"],
            "Southend University Hospital NHS Foundation Trust submitted its agency report"
        );

        // The whole trail holds the partnership's own facts, written by the system, then the
        // case's events.
        let all = app
            .whole_trail("/v1/audit-trail", &app.auditor(), 500)
            .await;
        assert_eq!(all[0]["event_type"], "PartnershipEstablished");
        assert_eq!(all[0]["actor"]["user"], "system");
        assert_eq!(all[0]["actor"]["organisation"], Value::Null);
        assert_eq!(all[0]["case_id"], Value::Null);
        let of_case: Vec<Value> = all
            .iter()
            .filter(|e| e["case_id"] == trail.case_id.as_str())
            .cloned()
            .collect();
        assert_eq!(of_case, entries);
    }
);

both_backends!(
    filters_and_pages_narrow_the_trail,
    |app: TestApp| async move {
        let trail = app.build_trail().await;
        let auditor = app.auditor();
        let path = format!("/v1/cases/{}/audit-trail", trail.case_id);
        let everything = items(&app.trail_page(&path, &auditor).await);

        let by_hospital = items(
            &app.trail_page("/v1/audit-trail?actor=user-suhft", &auditor)
                .await,
        );
        assert_eq!(commands_of(&by_hospital), ["SubmitAgencyReport"]);
        let of_hospital = items(
            &app.trail_page(&format!("{path}?organisation=suhft"), &auditor)
                .await,
        );
        assert_eq!(of_hospital, by_hospital);
        let requests = items(
            &app.trail_page("/v1/audit-trail?command=RequestAgencyReport", &auditor)
                .await,
        );
        assert_eq!(commands_of(&requests), ["RequestAgencyReport"]);
        // from is inclusive, to exclusive, both on the recorded time.
        let from = everything[2]["recorded_at"].as_str().unwrap();
        let to = everything[4]["recorded_at"].as_str().unwrap();
        let between = items(
            &app.trail_page(&format!("{path}?from={from}&to={to}"), &auditor)
                .await,
        );
        let expected: Vec<&str> = commands_of(&everything)[2..4].to_vec();
        if from != to {
            assert_eq!(commands_of(&between), expected);
        }

        // Pages of two follow the log without gaps or repeats.
        let paged = app.whole_trail(&path, &auditor, 2).await;
        assert_eq!(paged, everything);
        let first = app.trail_page(&format!("{path}?limit=2"), &auditor).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        assert!(first["next_cursor"].is_string());
        let last = app.trail_page(&format!("{path}?limit=5"), &auditor).await;
        assert_eq!(last["next_cursor"], Value::Null);

        for (query, code) in [
            ("organisation=Not%20a%20slug", "query.invalid"),
            ("command=submit_agency_report", "query.invalid"),
            ("actor=", "query.invalid"),
            ("from=yesterday", "query.invalid"),
            ("as_of=2023-13-01", "query.invalid"),
            (
                "from=2023-02-01T00:00:00Z&to=2023-01-01T00:00:00Z",
                "query.invalid",
            ),
            ("colour=blue", "query.invalid"),
            ("limit=0", "query.invalid_limit"),
            ("limit=501", "query.invalid_limit"),
            ("cursor=nonsense", "query.invalid_cursor"),
        ] {
            for base in ["/v1/audit-trail", path.as_str()] {
                let response = app.get(&format!("{base}?{query}"), &auditor).await;
                problem(response, StatusCode::BAD_REQUEST, code).await;
            }
        }
    }
);

both_backends!(
    as_of_answers_from_what_was_recorded_then,
    |app: TestApp| async move {
        let trail = app.build_trail().await;
        let auditor = app.auditor();
        let path = format!("/v1/cases/{}/audit-trail", trail.case_id);
        let everything = items(&app.trail_page(&path, &auditor).await);
        // As of the Panel notification, the rapid review had not been initiated.
        let then = everything[1]["recorded_at"].as_str().unwrap();
        let before = items(
            &app.trail_page(&format!("{path}?as_of={then}"), &auditor)
                .await,
        );
        assert_eq!(before, everything[..2].to_vec());
        let global = items(
            &app.trail_page(&format!("/v1/audit-trail?as_of={then}&limit=500"), &auditor)
                .await,
        );
        let then_position = everything[1]["position"].as_u64().unwrap();
        assert!(
            global
                .iter()
                .all(|e| e["position"].as_u64().unwrap() <= then_position)
        );
        assert!(!commands_of(&global).contains(&"InitiateRapidReview"));
        // Before the case was opened, it did not exist.
        let response = app
            .get(&format!("{path}?as_of=2000-01-01T00:00:00Z"), &auditor)
            .await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;

        // The hospital became involved when its report was asked for: before that, its agency
        // users saw nothing of the case.
        let hospital = app.token("suhft", &[Role::AgencyUser]);
        let response = app.get(&format!("{path}?as_of={then}"), &hospital).await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let global = items(
            &app.trail_page(
                &format!("/v1/audit-trail?as_of={then}&limit=500"),
                &hospital,
            )
            .await,
        );
        assert!(global.iter().all(|e| e["case_id"].is_null()));
        let now = items(&app.trail_page(&path, &hospital).await);
        assert_eq!(now, everything);
    }
);

both_backends!(
    agencies_and_other_partnerships_see_only_their_own,
    |app: TestApp| async move {
        let trail = app.build_trail().await;
        let path = format!("/v1/cases/{}/audit-trail", trail.case_id);

        // The mental health trust is not involved in the case.
        let trust = app.token("eput", &[Role::AgencyUser]);
        let response = app.get(&path, &trust).await;
        problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        let seen = app.whole_trail("/v1/audit-trail", &trust, 500).await;
        assert!(!seen.is_empty(), "the partnership's own facts are shown");
        assert!(seen.iter().all(|e| e["case_id"].is_null()), "{seen:?}");

        // A statutory partner sees the whole partnership.
        let partner = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        let all = app.whole_trail("/v1/audit-trail", &partner, 500).await;
        assert!(all.iter().any(|e| e["case_id"] == trail.case_id.as_str()));

        // Another partnership sees nothing of this one.
        let outsider = app.token_for(
            "thurrock",
            "thurrock-council",
            &[Role::Auditor, Role::BusinessManager],
        );
        let response = app.get(&path, &outsider).await;
        let body = problem(response, StatusCode::NOT_FOUND, "case.not_found").await;
        assert!(!body.to_string().contains("southend"));
        let page = app.trail_page("/v1/audit-trail", &outsider).await;
        assert_eq!(page, json!({"items": [], "next_cursor": null}));

        // Without a token, nothing.
        let response = app
            .client
            .get(format!("{}/v1/audit-trail", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
);
