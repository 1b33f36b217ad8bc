//! Annual statistics over HTTP: two cases backdated into 2022-23, read as JSON and as CSV by an
//! agency user, now and as of earlier instants.

use casetrail_domain::Role;
use casetrail_tests::both_backends;
use casetrail_tests::{TestApp, notification, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn instant_now() -> String {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    // Let the clock move on so the next command is recorded strictly later.
    std::thread::sleep(std::time::Duration::from_millis(20));
    now
}

async fn ok(app: &TestApp, token: &str, path: &str, body: Value) {
    let response = app.post(path, token, &body).await;
    let status = response.status();
    assert!(
        status.is_success(),
        "{path}: {}",
        response.text().await.unwrap()
    );
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// A notification on Wednesday 7 September 2022, the Panel notified on Friday 9 (due by
/// Wednesday 14: on time), a rapid review from day 0 Friday 9 September with the hospital's
/// report on day 6 (Tuesday 20 September, before 17:00 BST) and the police's a day late, and
/// the meeting on 22 September with four organisations.
async fn notified_case(app: &TestApp) {
    let mut body = notification();
    body["became_aware_on"] = json!("2022-09-07");
    body["incident_date"] = json!("2022-09-05");
    body["occurred_at"] = json!("2022-09-07T10:00:00Z");
    let response = app.notify(&body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case_id = response.json::<Value>().await.unwrap()["case_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = |p: &str| format!("/v1/cases/{case_id}/{p}");
    ok(
        app,
        &app.notifier(),
        &path("panel-notification"),
        json!({"panel_reference": "CSPRP-1",
        "submitted_on": "2022-09-09", "occurred_at": "2022-09-09T10:00:00Z"}),
    )
    .await;
    let bm = app.token("southend-council", &[Role::BusinessManager]);
    ok(
        app,
        &bm,
        &path("rapid-review"),
        json!({"occurred_at": "2022-09-09T12:00:00Z"}),
    )
    .await;
    for org in ["suhft", "essex-police"] {
        ok(
            app,
            &bm,
            &path("agency-report-requests"),
            json!({"organisation": org, "occurred_at": "2022-09-12T12:00:00Z"}),
        )
        .await;
    }
    for (org, at) in [
        ("suhft", "2022-09-20T15:00:00Z"),
        ("essex-police", "2022-09-21T10:00:00Z"),
    ] {
        ok(
            app,
            &app.token(org, &[Role::AgencyUser]),
            &path("agency-reports"),
            json!({"organisation": org, "involvement": "Seen.", "summary": "Seen.",
                   "learning": "None.", "occurred_at": at}),
        )
        .await;
    }
    ok(
        app,
        &bm,
        &path("rapid-review/meeting"),
        json!({
        "attendees": ["southend-council", "essex-police", "southend-ccg", "suhft"],
        "service_manager_present": true, "occurred_at": "2022-09-22T13:00:00Z"}),
    )
    .await;
}

/// A referral by the hospital on 3 October 2022.
async fn referred_case(app: &TestApp) {
    let mut body = notification();
    for field in [
        "became_aware_on",
        "harm",
        "abuse_or_neglect",
        "location_basis",
        "summary",
        "allow_duplicate",
    ] {
        body.as_object_mut().unwrap().remove(field);
    }
    body["reasons"] = json!("Repeated attendances with injuries.");
    body["incident_date"] = json!("2022-09-28");
    body["occurred_at"] = json!("2022-10-03T10:00:00Z");
    let hospital = app.token("suhft", &[Role::AgencyUser]);
    let response = app.post("/v1/cases/referrals", &hospital, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

both_backends!(
    a_years_statistics_as_json_and_csv_now_and_before,
    |app: TestApp| async move {
        let before_anything = instant_now();
        notified_case(&app).await;
        let before_referral = instant_now();
        referred_case(&app).await;
        // Statistics are aggregates: an agency user reads them, cases it is not involved in
        // included.
        let school = app.token("southend-schools", &[Role::AgencyUser]);

        let years = get(&app, &school, "/v1/statistics/annual").await;
        assert_eq!(
            years["items"],
            json!([{"year": "2022-23", "start_on": "2022-04-01",
            "end_on": "2023-03-31"}])
        );
        assert_eq!(years["next_cursor"], Value::Null);

        let s = get(&app, &school, "/v1/statistics/annual/2022-23").await;
        assert_eq!(s["year"], "2022-23");
        let n = &s["notifications"];
        assert_eq!(
            (n["total"].clone(), n["serious_harm"].clone()),
            (json!(1), json!(1))
        );
        assert_eq!(n["panel_notified_on_time"], 1);
        assert_eq!(n["panel_notified_on_time_percent"], 100.0);
        assert_eq!(s["referrals"]["total"], 1);
        assert_eq!(s["rapid_reviews"]["initiated"], 1);
        assert_eq!(s["rapid_reviews"]["submitted_on_time_percent"], Value::Null);
        let reports = &s["agency_reports"];
        assert_eq!(
            (
                reports["requested"].clone(),
                reports["on_time"].clone(),
                reports["late"].clone()
            ),
            (json!(2), json!(1), json!(1))
        );
        assert_eq!(reports["on_time_percent"], 50.0);
        assert_eq!(
            reports["by_agency"],
            json!([
            {"organisation": "essex-police", "requested": 1, "on_time": 0, "late": 1,
             "on_time_percent": 0.0},
            {"organisation": "suhft", "requested": 1, "on_time": 1, "late": 0,
             "on_time_percent": 100.0}])
        );
        assert_eq!(
            s["meetings"],
            json!({"held": 1, "organisations_taking_part": 4})
        );
        let text = s.to_string();
        assert!(
            !text.contains("SBC-2022-0412") && !text.contains("Alex"),
            "{text}"
        );

        let response = app
            .client
            .get(format!("{}/v1/statistics/annual/2022-23", app.address))
            .bearer_auth(&school)
            .header("Accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with("text/csv"), "{content_type}");
        let csv = response.text().await.unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "section,figure,organisation,value");
        assert_eq!(rows[1], "period,year,,2022-23");
        for row in [
            "notifications,total,,1",
            "notifications,panel_notified_on_time_percent,,100.0",
            "referrals,total,,1",
            "agency_reports,on_time_percent,,50.0",
            "agency_reports,late,essex-police,1",
            "agency_reports,on_time_percent,suhft,100.0",
            "rapid_reviews,submitted_on_time_percent,,",
            "deadlines,rr_agency_report.met_late,,1",
            "meetings,organisations_taking_part,,4",
        ] {
            assert!(rows.contains(&row), "{row} in\n{csv}");
        }

        // Before the referral was recorded: the notified case only.
        let then = get(
            &app,
            &school,
            &format!("/v1/statistics/annual/2022-23?as_of={before_referral}"),
        )
        .await;
        assert_eq!(then["referrals"]["total"], 0);
        assert_eq!(then["notifications"]["total"], 1);
        let instant = |v: &str| v.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        assert_eq!(
            instant(then["as_of"].as_str().unwrap()),
            instant(&before_referral)
        );
        // Before anything was recorded there was no year to show.
        let none = get(
            &app,
            &school,
            &format!("/v1/statistics/annual?as_of={before_anything}"),
        )
        .await;
        assert_eq!(none["items"], json!([]));
        problem(
            app.get(
                &format!("/v1/statistics/annual/2022-23?as_of={before_anything}"),
                &school,
            )
            .await,
            StatusCode::NOT_FOUND,
            "statistics.unknown_year",
        )
        .await;
        problem(
            app.get("/v1/statistics/annual/2031-32", &school).await,
            StatusCode::NOT_FOUND,
            "statistics.unknown_year",
        )
        .await;
        for bad in ["2022-24", "22-23"] {
            problem(
                app.get(&format!("/v1/statistics/annual/{bad}"), &school)
                    .await,
                StatusCode::BAD_REQUEST,
                "statistics.invalid_year",
            )
            .await;
        }
    }
);
