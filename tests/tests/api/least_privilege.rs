//! Least privilege (issue 12): who may read identifying details, by role and organisation
//! (docs/access-control.md), tokens without a Casetrail role, statutory decisions, retired
//! organisations, role checks before look-ups and on replays, list reads in the access log,
//! integrity per partnership, and the operations endpoints.

use casetrail_api::auth::{DEV_AUDIENCE, DEV_ISSUER};
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::tokens::hs256;
use casetrail_tests::{Backend, TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A development token with any role names, Casetrail's or not.
fn token_with_role_names(app: &TestApp, org: &str, roles: &[&str]) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": format!("user-{org}"), "name": "Test User",
        "partnership": "southend", "org": org, "roles": roles,
        "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now + 600, "iat": now, "nbf": now - 1});
    hs256(app.dev_tokens().secret(), &claims)
}

/// A child case notified by the council whose rapid review is led by the hospital trust
/// (`suhft`, a relevant agency), which was also asked for a report: the hospital is involved in
/// the case and is its reviewing organisation.
async fn case_reviewed_by_the_hospital(app: &TestApp) -> String {
    let case_id = app.notify_ok().await;
    let bm = app.business_manager();
    let path = |p: &str| format!("/v1/cases/{case_id}/{p}");
    app.post_ok(&path("rapid-review"), &bm, &json!({})).await;
    app.post_ok(
        &path("rapid-review/review-lead"),
        &bm,
        &json!({"lead_name": "Dr Kim Lee", "organisation": "suhft"}),
    )
    .await;
    app.post_ok(
        &path("agency-report-requests"),
        &bm,
        &json!({"organisation": "suhft"}),
    )
    .await;
    case_id
}

/// The organisation types of the matrix: the local authority, the police, health (the
/// integrated care board), the relevant agency that reviews the case (involved in it), and a
/// relevant agency not involved in it.
const ORGS: [&str; 5] = [
    "southend-council",
    "essex-police",
    "southend-ccg",
    "suhft",
    "southend-schools",
];

/// What the personal details answer, for an existing case and for a case that does not exist
/// (a refusal decided from the token alone is the same for both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Read,
    Refused(&'static str),
    /// Refused once the case is known (a reviewer of another organisation); 404 when there is
    /// no case.
    RefusedForThisCase(&'static str),
    /// The caller may not see the case at all.
    NotFound,
}

/// docs/access-control.md, "Personal details": one row per role (and a token with no role),
/// one column per organisation of [`ORGS`].
fn matrix() -> Vec<(Option<Role>, [Expect; 5])> {
    use Expect::{NotFound, Read, Refused, RefusedForThisCase};
    const ROLE: Expect = Refused("auth.role_required");
    const LA_ONLY: Expect = Refused("auth.local_authority_only");
    const NOT_REVIEWER: Expect = RefusedForThisCase("auth.not_reviewer_of_case");
    vec![
        (Some(Role::BusinessManager), [Read; 5]),
        (
            Some(Role::Notifier),
            [Read, LA_ONLY, LA_ONLY, LA_ONLY, LA_ONLY],
        ),
        (Some(Role::PartnerDecisionMaker), [ROLE; 5]),
        (Some(Role::AgencyUser), [ROLE; 5]),
        (Some(Role::IndependentAdvisor), [Read; 5]),
        (
            Some(Role::Reviewer),
            [NOT_REVIEWER, NOT_REVIEWER, NOT_REVIEWER, Read, NotFound],
        ),
        (Some(Role::Auditor), [ROLE; 5]),
        (Some(Role::Admin), [ROLE; 5]),
        (None, [Refused("auth.no_role"); 5]),
    ]
}

both_backends!(
    personal_details_follow_the_access_matrix_in_every_cell,
    |app: TestApp| async move {
        let case_id = case_reviewed_by_the_hospital(&app).await;
        let missing = uuid::Uuid::now_v7();
        for (role, row) in matrix() {
            for (org, expect) in ORGS.into_iter().zip(row) {
                let token = match role {
                    Some(role) => app.token(org, &[role]),
                    None => token_with_role_names(&app, org, &[]),
                };
                let cell = format!("{role:?} of {org}");
                let existing = app
                    .get(&format!("/v1/cases/{case_id}/personal-details"), &token)
                    .await;
                let absent = app
                    .get(&format!("/v1/cases/{missing}/personal-details"), &token)
                    .await;
                match expect {
                    Expect::Read => {
                        assert_eq!(existing.status(), StatusCode::OK, "{cell}");
                        let details: Value = existing.json().await.unwrap();
                        assert_eq!(details["given_name"], "Alex", "{cell}");
                        assert_eq!(absent.status(), StatusCode::NOT_FOUND, "{cell}");
                    }
                    Expect::Refused(code) => {
                        let body = problem(existing, StatusCode::FORBIDDEN, code).await;
                        assert!(!body.to_string().contains("Alex"), "{cell}");
                        // Decided before the look-up: a case that does not exist is refused
                        // alike, so the refusal reveals nothing.
                        problem(absent, StatusCode::FORBIDDEN, code).await;
                    }
                    Expect::RefusedForThisCase(code) => {
                        problem(existing, StatusCode::FORBIDDEN, code).await;
                        assert_eq!(absent.status(), StatusCode::NOT_FOUND, "{cell}");
                    }
                    Expect::NotFound => {
                        assert_eq!(existing.status(), StatusCode::NOT_FOUND, "{cell}");
                        assert_eq!(absent.status(), StatusCode::NOT_FOUND, "{cell}");
                    }
                }
            }
        }
    }
);

both_backends!(
    the_reviewer_of_a_safeguarding_adult_review_reads_its_details,
    |app: TestApp| async move {
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let opened = app.post_ok("/v1/cases/sar-referrals", &referrer, &json!({
                "adult": {"reference": "EPUT-SA-23-0057", "given_name": "Robert",
                    "family_name": "Hale", "date_of_birth": "1950-05-01", "sex": "male",
                    "ethnicity": "White Other"},
                "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "known",
                "serious_abuse_or_neglect": true, "abuse_or_neglect_date": "2022-12-20",
                "joint_working_concern": true, "concerns": "Self-neglect over two years.",
                "occurred_at": "2023-01-10T10:00:00Z"
            }))
        .await;
        let case_id = opened["case_id"].as_str().unwrap().to_owned();
        let bm = app.business_manager();
        let path = |p: &str| format!("/v1/cases/{case_id}/{p}");
        app.post_ok(
            &path("sar-decision"),
            &bm,
            &json!({"decision": "mandatory", "rationale": "s44(1) met."}),
        )
        .await;
        let details = path("personal-details");
        let nelft_reviewer = app.token("nelft", &[Role::Reviewer]);
        // Not yet commissioned: nelft is not involved and does not review it.
        assert_eq!(
            app.get(&details, &nelft_reviewer).await.status(),
            StatusCode::NOT_FOUND
        );
        app.post_ok(
            &path("sar-commission"),
            &bm,
            &json!({"reviewer": "Gwen Ashcombe", "reviewer_organisation": "nelft",
                "terms_of_reference": "Self-neglect."}),
        )
        .await;
        let response = app.get(&details, &nelft_reviewer).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.json::<Value>().await.unwrap()["given_name"],
            "Robert"
        );
        // A reviewer of a statutory partner sees the case, not the adult's details.
        problem(
            app.get(&details, &app.token("essex-police", &[Role::Reviewer]))
                .await,
            StatusCode::FORBIDDEN,
            "auth.not_reviewer_of_case",
        )
        .await;
    }
);

both_backends!(
    a_token_without_a_casetrail_role_reads_and_writes_nothing,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let none = token_with_role_names(&app, "southend-council", &[]);
        let unknown = token_with_role_names(&app, "southend-council", &["superuser", "viewer"]);
        let reads = [
            "/v1/cases".to_owned(),
            "/v1/deadlines".to_owned(),
            "/v1/audit-trail".to_owned(),
            format!("/v1/cases/{case_id}"),
            format!("/v1/cases/{case_id}/deadlines"),
            format!("/v1/cases/{case_id}/audit-trail"),
            format!("/v1/cases/{case_id}/personal-details"),
            format!("/v1/cases/{case_id}/access-log"),
            "/v1/partnership".to_owned(),
            "/v1/statistics/annual".to_owned(),
            "/v1/integrity".to_owned(),
            "/v1/events".to_owned(),
            "/metrics".to_owned(),
        ];
        let writes = [
            (
                "/v1/cases/notifications".to_owned(),
                casetrail_tests::notification(),
            ),
            (format!("/v1/cases/{case_id}/rapid-review"), json!({})),
            (
                "/v1/partnership/organisations".to_owned(),
                json!({"slug": "x-org", "name": "X", "kind": "other"}),
            ),
        ];
        for token in [&none, &unknown] {
            for path in &reads {
                problem(
                    app.get(path, token).await,
                    StatusCode::FORBIDDEN,
                    "auth.no_role",
                )
                .await;
            }
            for (path, body) in &writes {
                problem(
                    app.post(path, token, body).await,
                    StatusCode::FORBIDDEN,
                    "auth.no_role",
                )
                .await;
            }
        }
        // The same user with a role reads as before.
        let with_role = token_with_role_names(&app, "southend-council", &["viewer", "notifier"]);
        assert_eq!(
            app.get(&format!("/v1/cases/{case_id}"), &with_role)
                .await
                .status(),
            StatusCode::OK
        );
    }
);

both_backends!(
    statutory_decisions_are_recorded_only_by_a_statutory_partner,
    |app: TestApp| async move {
        // A safeguarding adult review referral, decided by a hospital trust's users: refused.
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let opened = app.post_ok("/v1/cases/sar-referrals", &referrer, &json!({
                "adult": {"reference": "R-1", "given_name": "Robert", "family_name": "Hale",
                    "date_of_birth": "1950-05-01", "sex": "male", "ethnicity": "White Other"},
                "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "known",
                "serious_abuse_or_neglect": true, "abuse_or_neglect_date": "2022-12-20",
                "joint_working_concern": true, "concerns": "Self-neglect."
            }))
        .await;
        let sar = opened["case_id"].as_str().unwrap().to_owned();
        let decision = json!({"decision": "mandatory", "rationale": "s44(1) met."});
        let sar_decision = format!("/v1/cases/{sar}/sar-decision");
        for token in [
            app.token("eput", &[Role::PartnerDecisionMaker]),
            app.token("suhft", &[Role::BusinessManager]),
        ] {
            problem(
                app.post(&sar_decision, &token, &decision).await,
                StatusCode::FORBIDDEN,
                "auth.statutory_partner_only",
            )
            .await;
        }
        assert_eq!(app.case(&sar).await["sar"]["decision"], Value::Null);
        app.post_ok(
            &sar_decision,
            &app.token("southend-ccg", &[Role::PartnerDecisionMaker]),
            &decision,
        )
        .await;

        // A domestic homicide review's decision, likewise.
        let opened = app
            .post_ok(
                "/v1/cases/dhr-notifications",
                &app.token("essex-police", &[Role::Notifier]),
                &json!({
                    "victim": {"reference": "EP-1", "given_name": "Grace", "family_name": "Okafor",
                        "date_of_birth": "1975-06-30", "sex": "female",
                        "ethnicity": "Black British"},
                    "date_of_death": "2023-04-09", "relationship": "former_intimate_partner",
                    "violence_abuse_or_neglect": "suspected", "summary": "Died at home."
                }),
            )
            .await;
        let dhr = opened["case_id"].as_str().unwrap().to_owned();
        let dhr_decision = format!("/v1/cases/{dhr}/dhr-decision");
        let decision = json!({"conduct_review": true, "rationale": "The criteria are met."});
        problem(
            app.post(
                &dhr_decision,
                &app.token("southend-schools", &[Role::BusinessManager]),
                &decision,
            )
            .await,
            StatusCode::FORBIDDEN,
            "auth.statutory_partner_only",
        )
        .await;
        app.post_ok(
            &dhr_decision,
            &app.token("essex-police", &[Role::PartnerDecisionMaker]),
            &decision,
        )
        .await;
    }
);

both_backends!(
    a_retired_or_unregistered_organisation_neither_acts_nor_reads,
    |app: TestApp| async move {
        let admin = app.admin();
        app.post_ok(
            "/v1/partnership/organisations",
            &admin,
            &json!({"slug": "southend-adult-care", "name": "Adult Care", "kind": "other"}),
        )
        .await;
        let member = app.token("southend-adult-care", &[Role::AgencyUser]);
        let referral = json!({
            "child": {"reference": "R-2", "given_name": "Sam", "family_name": "Reed",
                "date_of_birth": "2015-01-01", "sex": "male", "ethnicity": "White British",
                "looked_after": false, "child_protection_plan": false},
            "incident_date": "2022-12-20", "reasons": "Concerns about agency working."
        });
        let opened = app.post_ok("/v1/cases/referrals", &member, &referral).await;
        let case_id = opened["case_id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.get(&format!("/v1/cases/{case_id}"), &member)
                .await
                .status(),
            StatusCode::OK
        );
        app.post_ok(
            "/v1/partnership/organisations/southend-adult-care/retirement",
            &admin,
            &json!({}),
        )
        .await;
        let before = app.log_length().await;
        problem(
            app.post("/v1/cases/referrals", &member, &referral).await,
            StatusCode::FORBIDDEN,
            "organisation.retired",
        )
        .await;
        for path in ["/v1/cases".to_owned(), format!("/v1/cases/{case_id}")] {
            problem(
                app.get(&path, &member).await,
                StatusCode::FORBIDDEN,
                "organisation.retired",
            )
            .await;
        }
        assert_eq!(app.log_length().await, before, "nothing was written");

        // An organisation the partnership never registered is refused alike.
        let stranger = app.token("nowhere-trust", &[Role::Notifier, Role::AgencyUser]);
        problem(
            app.notify_as(&stranger).await,
            StatusCode::FORBIDDEN,
            "organisation.unknown",
        )
        .await;
        problem(
            app.get("/v1/cases", &stranger).await,
            StatusCode::FORBIDDEN,
            "organisation.unknown",
        )
        .await;
    }
);

/// Steps of this file's tests, on the shared harness's app.
trait NotifyAs {
    async fn notify_as(&self, token: &str) -> reqwest::Response;
}

impl NotifyAs for TestApp {
    async fn notify_as(&self, token: &str) -> reqwest::Response {
        self.post(
            "/v1/cases/notifications",
            token,
            &casetrail_tests::notification(),
        )
        .await
    }
}

both_backends!(
    a_caller_without_the_role_learns_nothing_about_the_case,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let missing = uuid::Uuid::now_v7();
        let agency = app.token("suhft", &[Role::AgencyUser]);
        let police = app.token("essex-police", &[Role::AgencyUser]);
        let commands = [
            ("rapid-review", json!({})),
            (
                "panel-notification",
                json!({"panel_reference": "P-1", "submitted_on": "2022-12-23"}),
            ),
            (
                "sar-decision",
                json!({"decision": "mandatory", "rationale": "r"}),
            ),
            // Its free text is sealed with the case's key, which looks the case up.
            (
                "reconsideration",
                json!({"partner": "police", "outcome": "adhere",
                "rationale": "r"}),
            ),
            (
                "recommendations",
                json!({"text": "t", "owner": "suhft", "due_on": "2024-01-01"}),
            ),
        ];
        for (path, body) in commands {
            for token in [&agency, &police] {
                for case in [case_id.clone(), missing.to_string()] {
                    problem(
                        app.post(&format!("/v1/cases/{case}/{path}"), token, &body)
                            .await,
                        StatusCode::FORBIDDEN,
                        "auth.role_required",
                    )
                    .await;
                }
            }
        }
        // An idempotent replay answers to the caller's roles now: the same user and key, with
        // the role gone, is refused; with the role back, the first answer is replayed.
        let start = format!("/v1/cases/{case_id}/rapid-review");
        let send = |token: String| {
            let app = &app;
            let start = &start;
            async move {
                app.client
                    .post(format!("{}{start}", app.address))
                    .bearer_auth(token)
                    .header("Idempotency-Key", "start-1")
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let first = send(app.business_manager()).await;
        assert_eq!(first.status(), StatusCode::OK);
        let first: Value = first.json().await.unwrap();
        problem(
            send(app.token("southend-council", &[Role::Notifier])).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        let again = send(app.business_manager()).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(again.json::<Value>().await.unwrap(), first);

        // The same for a command that opens a case (no case to look up first) and for a
        // partnership command.
        for (path, body, allowed, lost) in [
            (
                "/v1/cases/notifications",
                casetrail_tests::notification(),
                app.notifier(),
                app.business_manager(),
            ),
            (
                "/v1/partnership/organisations",
                json!({"slug": "new-trust", "name": "New Trust", "kind": "other"}),
                app.admin(),
                app.business_manager(),
            ),
        ] {
            let send = |token: &str| {
                app.client
                    .post(format!("{}{path}", app.address))
                    .bearer_auth(token)
                    .header("Idempotency-Key", format!("replayed-{path}"))
                    .json(&body)
                    .send()
            };
            let first = send(&allowed).await.unwrap();
            assert!(first.status().is_success(), "{path}");
            let first: Value = first.json().await.unwrap();
            let before = app.log_length().await;
            problem(
                send(&lost).await.unwrap(),
                StatusCode::FORBIDDEN,
                "auth.role_required",
            )
            .await;
            assert_eq!(app.log_length().await, before, "{path}");
            let again = send(&allowed).await.unwrap();
            assert_eq!(again.json::<Value>().await.unwrap(), first, "{path}");
        }
    }
);

async fn access_log(app: &TestApp, case_id: &str) -> Vec<Value> {
    let auditor = app.token("southend-council", &[Role::Auditor]);
    let page: Value = app
        .get(&format!("/v1/cases/{case_id}/access-log"), &auditor)
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

both_backends!(
    list_reads_are_in_the_access_log_of_each_case_they_returned,
    |app: TestApp| async move {
        let first = app.notify_ok().await;
        let second = app.notify_ok_with_key("second").await;
        let reader = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        for path in ["/v1/cases", "/v1/deadlines", "/v1/audit-trail"] {
            let response = app.get(path, &reader).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
        }
        // An agency not involved lists nothing, so nothing is recorded for it.
        let outsider = app.token("southend-schools", &[Role::AgencyUser]);
        let listed: Value = app.get("/v1/cases", &outsider).await.json().await.unwrap();
        assert_eq!(listed["items"], json!([]));
        for case_id in [&first, &second] {
            let log = access_log(&app, case_id).await;
            let by_reader: Vec<&str> = log
                .iter()
                .filter(|e| e["reader"]["organisation"] == "essex-police")
                .map(|e| e["resource"].as_str().unwrap())
                .collect();
            assert_eq!(
                by_reader,
                ["case_list", "deadline_list", "audit_trail_list"],
                "{log:?}"
            );
            assert!(
                log.iter()
                    .all(|e| e["reader"]["organisation"] != "southend-schools"),
                "{log:?}"
            );
        }
        // A filtered list records only what it returned.
        let one: Value = app
            .get(&format!("/v1/deadlines?case_id={first}"), &reader)
            .await
            .json()
            .await
            .unwrap();
        assert!(!one["items"].as_array().unwrap().is_empty());
        let count = |log: Vec<Value>| {
            log.iter()
                .filter(|e| e["resource"] == "deadline_list")
                .count()
        };
        assert_eq!(count(access_log(&app, &first).await), 2);
        assert_eq!(count(access_log(&app, &second).await), 1);
    }
);

/// Steps of this file's tests, on the shared harness's app.
trait NotifyWithKey {
    async fn notify_ok_with_key(&self, key: &str) -> String;
}

impl NotifyWithKey for TestApp {
    async fn notify_ok_with_key(&self, key: &str) -> String {
        let response = self
            .client
            .post(format!("{}/v1/cases/notifications", self.address))
            .bearer_auth(self.notifier())
            .header("Idempotency-Key", key)
            .json(&casetrail_tests::notification())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["case_id"].as_str().unwrap().to_owned()
    }
}

/// Establishes a second partnership straight in the store, as its bootstrap would.
async fn establish_thurrock(app: &TestApp) {
    use casetrail_domain::OrgSlug;
    use casetrail_domain::partnership::{
        OrgKind, Organisation, PartnershipCommand, PartnershipSettings, decide,
    };
    let org = |slug: &str, kind| Organisation {
        slug: OrgSlug::parse(slug).unwrap(),
        name: slug.to_owned(),
        kind,
    };
    let slug = casetrail_domain::PartnershipSlug::parse("thurrock").unwrap();
    let command = PartnershipCommand::EstablishPartnership {
        slug: slug.clone(),
        name: "Thurrock".to_owned(),
        settings: PartnershipSettings::default(),
        organisations: vec![
            org("thurrock-council", OrgKind::LocalAuthority),
            org("essex-police", OrgKind::Police),
            org("thurrock-icb", OrgKind::Health),
        ],
    };
    let events = decide(None, &command, None, chrono::Utc::now()).unwrap();
    let store = casetrail_store::open(&app.db.url).await.unwrap();
    store
        .append(casetrail_store::AppendRequest {
            data_keys: Vec::new(),
            stream_id: casetrail_domain::stream::partnership_stream(&slug),
            expected_version: casetrail_store::ExpectedVersion::NoStream,
            events: events
                .iter()
                .map(|event| {
                    let (event_type, data) = casetrail_domain::codec::encode(event);
                    casetrail_store::NewEvent {
                        event_id: uuid::Uuid::now_v7(),
                        schema_version: casetrail_domain::codec::schema_version(&event_type),
                        event_type,
                        data,
                        metadata: json!({"partnership": "thurrock"}),
                    }
                })
                .collect(),
        })
        .await
        .unwrap();
    store.close().await;
}

both_backends!(
    integrity_answers_for_the_callers_partnership,
    |app: TestApp| async move {
        app.notify_ok().await;
        let southend_events = app.log_length().await;
        establish_thurrock(&app).await;
        let head = app.log_length().await;
        assert!(head > southend_events);
        let verdict = |token: String| {
            let app = &app;
            async move {
                let response = app.get("/v1/integrity", &token).await;
                assert_eq!(response.status(), StatusCode::OK);
                response.json::<Value>().await.unwrap()
            }
        };
        let southend = verdict(app.token("southend-council", &[Role::Auditor])).await;
        assert_eq!(southend["status"], "ok");
        assert_eq!(southend["events"], southend_events);
        assert_eq!(southend["head_position"], southend_events);
        let thurrock =
            verdict(app.token_for("thurrock", "thurrock-council", &[Role::Auditor])).await;
        assert_eq!(thurrock["status"], "ok");
        assert_eq!(thurrock["events"], head - southend_events);
        assert_eq!(thurrock["head_position"], head);
        assert_ne!(thurrock["head_hash"], southend["head_hash"]);
    }
);

both_backends!(
    operations_endpoints_disclose_nothing_without_a_token,
    |app: TestApp| async move {
        let get = |path: &'static str| {
            let app = &app;
            async move {
                app.client
                    .get(format!("{}{path}", app.address))
                    .send()
                    .await
                    .unwrap()
            }
        };
        for path in ["/health/live", "/health/ready"] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response.json::<Value>().await.unwrap(),
                json!({"status": "ok"}),
                "{path} says nothing about the log"
            );
        }
        problem(
            get("/metrics").await,
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
        )
        .await;
        problem(
            app.get("/metrics", &app.business_manager()).await,
            StatusCode::FORBIDDEN,
            "auth.role_required",
        )
        .await;
        let metrics = app.get("/metrics", &app.admin()).await;
        assert_eq!(metrics.status(), StatusCode::OK);
        assert!(
            metrics
                .text()
                .await
                .unwrap()
                .contains("http_requests_total")
        );
    }
);

/// A free port on loopback for the metrics listener.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn metrics_listener(backend: Backend) {
    let port = free_port();
    let Some(app) = TestApp::spawn_configured(backend, |config| {
        config.metrics_bind = Some(format!("127.0.0.1:{port}"));
    })
    .await
    else {
        return;
    };
    app.notify_ok().await;
    let private = format!("http://127.0.0.1:{port}");
    let metrics = app
        .client
        .get(format!("{private}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("route=\"/v1/cases/notifications\""), "{text}");
    // Only /metrics: the API is not served there.
    let api = app
        .client
        .get(format!("{private}/v1/cases"))
        .bearer_auth(app.business_manager())
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    // The main listener still wants an admin token.
    let main = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), StatusCode::UNAUTHORIZED);
}

mod a_separate_metrics_listener_serves_metrics_alone {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        metrics_listener(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        metrics_listener(Backend::Postgres).await;
    }
}
