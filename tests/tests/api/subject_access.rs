//! Subject access (issue 12, UK GDPR Art. 15): the business manager exports everything held
//! about the person of one case, opened; every other role is refused before the case is looked
//! up; the export is in the access log; an erased case answers 410.

use crate::rapid_review::Review;
use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn export_path(case_id: &str) -> String {
    format!("/v1/cases/{case_id}/subject-access-export")
}

/// Steps of this file's tests, on the shared harness's app.
pub(crate) trait SubjectAccessSteps {
    /// The export as the business manager reads it, with its `Cache-Control`.
    async fn export(&self, case_id: &str) -> (Value, String);
    /// Erases the case's personal data (EraseCasePersonalData, as an admin).
    async fn erase_key(&self, case_id: &str);
}

impl SubjectAccessSteps for TestApp {
    async fn export(&self, case_id: &str) -> (Value, String) {
        let response = self
            .get(&export_path(case_id), &self.business_manager())
            .await;
        let status = response.status();
        let cache = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{text}");
        (serde_json::from_str(&text).unwrap(), cache)
    }

    async fn erase_key(&self, case_id: &str) {
        let erased = self
            .post(
                &format!("/v1/cases/{case_id}/erasure"),
                &self.admin(),
                &serde_json::json!({"legal_basis": "retention_period_ended",
                    "reason": "Retention schedule review"}),
            )
            .await;
        assert_eq!(erased.status(), StatusCode::OK);
    }
}

both_backends!(
    only_the_business_manager_exports_and_other_roles_learn_nothing_of_the_case,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let missing = uuid::Uuid::now_v7().to_string();
        for role in Role::ALL {
            if role == Role::BusinessManager {
                continue;
            }
            for org in ["southend-council", "essex-police", "suhft"] {
                let token = app.token(org, &[role]);
                for case in [&case_id, &missing] {
                    let refused = app.get(&export_path(case), &token).await;
                    problem(refused, StatusCode::FORBIDDEN, "auth.role_required").await;
                }
            }
        }
        // Every role but the business manager's, together, is still refused.
        let all_but: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| *r != Role::BusinessManager)
            .collect();
        let refused = app
            .get(
                &export_path(&case_id),
                &app.token("southend-council", &all_but),
            )
            .await;
        problem(refused, StatusCode::FORBIDDEN, "auth.role_required").await;
        // The business manager: no such case, or another partnership's, is 404.
        let bm = app.business_manager();
        let unknown = app.get(&export_path(&missing), &bm).await;
        problem(unknown, StatusCode::NOT_FOUND, "case.not_found").await;
        let elsewhere = app.token_for("thurrock", "thurrock-council", &[Role::BusinessManager]);
        let foreign = app.get(&export_path(&case_id), &elsewhere).await;
        problem(foreign, StatusCode::NOT_FOUND, "case.not_found").await;
        // A business manager of any organisation of the partnership may export.
        let police_bm = app.token("essex-police", &[Role::BusinessManager]);
        let response = app.get(&export_path(&case_id), &police_bm).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
);

both_backends!(
    the_export_opens_every_sealed_text_of_its_case_and_holds_nothing_of_another,
    |app: TestApp| async move {
        let review = Review::open(&app).await;
        review.to_reports("2022-09-16T12:00:00Z").await;
        review
            .ok(
                &review.manager(),
                "rapid-review/modified-response",
                json!({"rationale": "Internal reviews already cover Alex's care.",
                       "occurred_at": "2022-09-13T10:00:00Z"}),
            )
            .await;
        // Another child's case, with texts of its own.
        let mut other = notification();
        other["child"]["given_name"] = json!("Morgan");
        other["child"]["family_name"] = json!("Quill");
        other["summary"] = json!("Zebra-striped bruising noted at school.");
        let response = app.notify(&other).await;
        assert_eq!(response.status(), StatusCode::CREATED);

        let (export, cache) = app.export(&review.case).await;
        assert_eq!(cache, "no-store");
        assert_eq!(export["case_id"], review.case.as_str());
        assert_eq!(export["kind"], "child");
        assert_eq!(export["data_subject"], "child");
        assert_eq!(export["reference"], "SBC-2022-0412");
        let details = &export["personal_details"];
        assert_eq!(details["given_name"], "Alex");
        assert_eq!(details["family_name"], "Smith");
        assert_eq!(details["date_of_birth"], "2016-03-01");
        assert_eq!(
            details["summary"],
            "Admitted to hospital with unexplained injuries."
        );
        // Every sealed text, opened, with where it came from.
        let records = export["sealed_records"].as_array().unwrap();
        let of = |event_type: &str| -> Vec<&Value> {
            records
                .iter()
                .filter(|r| r["event_type"] == event_type)
                .collect()
        };
        let opening = of("IncidentNotified");
        assert_eq!(opening.len(), 1);
        assert_eq!(opening[0]["field"], "personal_data");
        assert_eq!(opening[0]["command"], "NotifyIncident");
        assert_eq!(opening[0]["content"]["given_name"], "Alex");
        assert_eq!(
            opening[0]["recorded_by"]["organisation"],
            "southend-council"
        );
        let reports = of("AgencyReportSubmitted");
        assert_eq!(reports.len(), 2, "{records:?}");
        let hospital = reports
            .iter()
            .find(|r| r["recorded_by"]["organisation"] == "suhft")
            .unwrap();
        assert_eq!(hospital["command"], "SubmitAgencyReport");
        assert_eq!(hospital["field"], "report");
        assert_eq!(hospital["occurred_at"], "2022-09-16T12:00:00Z");
        assert_eq!(hospital["content"]["summary"], "Injuries recorded.");
        assert_eq!(hospital["content"]["learning"], "Body map missed.");
        assert_eq!(hospital["recorded_by"]["roles"], json!(["agency_user"]));
        assert!(hospital["recorded_at"].as_str().is_some());
        let rationale = of("ModifiedResponseAgreed");
        assert_eq!(rationale[0]["field"], "rationale");
        assert_eq!(
            rationale[0]["content"],
            "Internal reviews already cover Alex's care."
        );
        // Nothing sealed stays sealed, and nothing else of the partnership leaks in.
        let text = export.to_string();
        assert!(!text.contains("ciphertext"), "{text}");
        assert!(!text.contains("Morgan") && !text.contains("Quill"));
        assert!(!text.contains("Zebra"));
        // The non-identifying facts and the whole process history.
        assert_eq!(export["case"]["child"]["age_band"], "6_to_10");
        assert_eq!(export["case"]["child"]["looked_after"], false);
        let history = export["process_history"].as_array().unwrap();
        let version = export["case"]["version"].as_u64().unwrap();
        assert_eq!(history.len() as u64, version);
        assert!(history.iter().all(|e| e["case_id"] == review.case.as_str()));
        assert_eq!(history[0]["event_type"], "IncidentNotified");
        assert!(
            history
                .iter()
                .any(|e| e["actor"]["organisation"] == "essex-police")
        );
    }
);

both_backends!(
    the_export_is_in_the_access_log_with_who_read_the_details,
    |app: TestApp| async move {
        let case_id = app.notify_ok().await;
        let details = app
            .get(
                &format!("/v1/cases/{case_id}/personal-details"),
                &app.notifier(),
            )
            .await;
        assert_eq!(details.status(), StatusCode::OK);
        let (export, _) = app.export(&case_id).await;
        // The export lists the earlier read of the details, and itself.
        let reads = export["access_log"].as_array().unwrap();
        let resources: Vec<&str> = reads
            .iter()
            .map(|r| r["resource"].as_str().unwrap())
            .collect();
        assert_eq!(resources, ["personal_details", "subject_access_export"]);
        assert_eq!(reads[0]["reader"]["roles"], json!(["notifier"]));
        assert_eq!(reads[1]["reader"]["roles"], json!(["business_manager"]));
        // The auditor sees the export in the case's access log.
        let auditor = app.token("southend-council", &[Role::Auditor]);
        let log: Value = app
            .get(&format!("/v1/cases/{case_id}/access-log"), &auditor)
            .await
            .json()
            .await
            .unwrap();
        let exports: Vec<&Value> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["resource"] == "subject_access_export")
            .collect();
        assert_eq!(exports.len(), 1, "{log}");
        assert_eq!(exports[0]["reader"]["user"], "user-southend-council");
        // A refused export is not a read.
        let refused = app.get(&export_path(&case_id), &auditor).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let (again, _) = app.export(&case_id).await;
        let count = again["access_log"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["resource"] == "subject_access_export")
            .count();
        assert_eq!(count, 2);
    }
);

both_backends!(
    an_adult_case_exports_the_concerns_and_an_erased_case_answers_gone,
    |app: TestApp| async move {
        let referral = json!({
            "adult": {"reference": "EPUT-SA-23-0057", "given_name": "Robert",
                      "family_name": "Hale", "date_of_birth": "1950-05-01", "sex": "male",
                      "ethnicity": "White Other"},
            "care_and_support_needs": true, "adult_died": false, "abuse_or_neglect": "known",
            "serious_abuse_or_neglect": true, "abuse_or_neglect_date": "2022-12-20",
            "joint_working_concern": true,
            "concerns": "Self-neglect over two years; information was not shared.",
            "occurred_at": "2023-01-10T10:00:00Z"
        });
        let referrer = app.token("eput", &[Role::AgencyUser]);
        let response = app
            .post("/v1/cases/sar-referrals", &referrer, &referral)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case_id = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let partner = app.token("essex-police", &[Role::PartnerDecisionMaker]);
        let decided = app
            .post(
                &format!("/v1/cases/{case_id}/sar-decision"),
                &partner,
                &json!({"decision": "mandatory", "rationale": "Robert's needs were unmet.",
                        "occurred_at": "2023-02-01T10:00:00Z"}),
            )
            .await;
        assert_eq!(decided.status(), StatusCode::OK);
        let (export, _) = app.export(&case_id).await;
        assert_eq!(export["data_subject"], "adult");
        assert_eq!(export["personal_details"]["given_name"], "Robert");
        assert_eq!(
            export["personal_details"]["summary"],
            "Self-neglect over two years; information was not shared."
        );
        let decision = export["sealed_records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["event_type"] == "SarDecisionRecorded")
            .unwrap()
            .clone();
        assert_eq!(decision["content"], "Robert's needs were unmet.");
        assert_eq!(decision["recorded_by"]["organisation"], "essex-police");
        assert_eq!(export["case"]["adult"]["age_band"], "65_to_74");

        app.erase_key(&case_id).await;
        let gone = app
            .get(&export_path(&case_id), &app.business_manager())
            .await;
        let body = problem(gone, StatusCode::GONE, "personal_data.erased").await;
        assert!(!body.to_string().contains("Robert"));
    }
);

both_backends!(
    a_domestic_homicide_case_exports_the_victims_details,
    |app: TestApp| async move {
        let notification = json!({
            "victim": {"reference": "EP-DH-2023-014", "given_name": "Grace",
                       "family_name": "Okafor", "date_of_birth": "1975-06-30", "sex": "female",
                       "ethnicity": "Black British"},
            "date_of_death": "2023-04-09", "relationship": "former_intimate_partner",
            "violence_abuse_or_neglect": "suspected",
            "summary": "Died at home; her former partner has been charged.",
            "occurred_at": "2023-04-18T15:00:00Z"
        });
        let police = app.token("essex-police", &[Role::Notifier]);
        let response = app
            .post("/v1/cases/dhr-notifications", &police, &notification)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let case_id = response.json::<Value>().await.unwrap()["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (export, _) = app.export(&case_id).await;
        assert_eq!(export["kind"], "domestic_homicide");
        assert_eq!(export["data_subject"], "victim");
        assert_eq!(export["personal_details"]["family_name"], "Okafor");
        assert_eq!(export["personal_details"]["date_of_birth"], "1975-06-30");
        let opening = &export["sealed_records"][0];
        assert_eq!(opening["event_type"], "DomesticHomicideNotified");
        assert_eq!(opening["recorded_by"]["organisation"], "essex-police");
        assert_eq!(export["case"]["victim"]["age_band"], "45_to_54");
    }
);
