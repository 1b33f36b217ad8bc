//! The case and deadline lists as CSV: the same filters and pages as JSON, the JSON item's
//! fields and no more, RFC 4180, and no cell a spreadsheet would run as a formula.

use casetrail_domain::Role;
use casetrail_tests::{TestApp, both_backends, notification, problem};
use reqwest::{Response, StatusCode};
use serde_json::Value;

async fn csv(app: &TestApp, path: &str, token: &str) -> Response {
    app.client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap()
}

/// The rows of a CSV document, with RFC 4180 quoting undone.
fn rows(text: &str) -> Vec<Vec<String>> {
    assert!(text.ends_with("\r\n"), "CRLF line ends: {text:?}");
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {
                assert_eq!(chars.next(), Some('\n'));
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The JSON item's fields, `late_by` as two columns.
fn json_columns(item: &Value) -> Vec<String> {
    let mut columns = Vec::new();
    for key in item.as_object().unwrap().keys() {
        if key == "late_by" {
            columns.extend(["late_by.working_days".into(), "late_by.hours".into()]);
        } else {
            columns.push(key.clone());
        }
    }
    columns.sort();
    columns
}

both_backends!(
    the_lists_answer_csv_page_by_page,
    |app: TestApp| async move {
        let references = ["=HYPERLINK(\"http://evil.example\")", "SBC, \"02\"", "-1+2"];
        for reference in references {
            let mut body = notification();
            body["child"]["reference"] = reference.into();
            assert_eq!(app.notify(&body).await.status(), StatusCode::CREATED);
        }
        let manager = app.business_manager();

        let first = csv(&app, "/v1/cases?limit=2&kind=child", &manager).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(
            header(&first, "content-type").unwrap(),
            "text/csv; charset=utf-8"
        );
        assert!(header(&first, "etag").unwrap().starts_with("W/\""));
        let link = header(&first, "link").expect("a next page");
        let cursor = header(&first, "casetrail-next-cursor").unwrap();
        assert!(link.ends_with(">; rel=\"next\""), "{link}");
        assert!(
            link.contains("kind=child") && link.contains(&cursor),
            "{link}"
        );
        let first = rows(&first.text().await.unwrap());
        assert_eq!(first.len(), 3, "a header and two cases: {first:?}");
        let reference = first[0].iter().position(|c| c == "reference").unwrap();
        // A formula is made inert; quotes and commas survive the round trip.
        assert_eq!(first[1][reference], "'=HYPERLINK(\"http://evil.example\")");
        assert_eq!(first[2][reference], "SBC, \"02\"");

        // The next page, as the Link header gives it.
        let next = link
            .trim_start_matches('<')
            .split_once('>')
            .unwrap()
            .0
            .to_owned();
        let second = csv(&app, &next, &manager).await;
        assert_eq!(second.status(), StatusCode::OK);
        assert_eq!(header(&second, "link"), None, "the last page");
        let second = rows(&second.text().await.unwrap());
        assert_eq!(second.len(), 2);
        assert_eq!(second[1][reference], "'-1+2");

        // The same cases, in the same order, with the JSON item's fields and no more.
        let json: Value = app
            .get("/v1/cases?limit=3&kind=child", &manager)
            .await
            .json()
            .await
            .unwrap();
        let items = json["items"].as_array().unwrap();
        let case_id = first[0].iter().position(|c| c == "case_id").unwrap();
        let listed: Vec<&str> = [&first[1], &first[2], &second[1]]
            .iter()
            .map(|row| row[case_id].as_str())
            .collect();
        let in_json: Vec<&str> = items
            .iter()
            .map(|i| i["case_id"].as_str().unwrap())
            .collect();
        assert_eq!(listed, in_json);
        let mut columns = first[0].clone();
        columns.sort();
        assert_eq!(columns, json_columns(&items[0]));

        // Deadlines: the same, filtered and sorted as asked.
        let deadlines = csv(
            &app,
            "/v1/deadlines?kind=panel_notification&sort=-due_at",
            &manager,
        )
        .await;
        assert_eq!(deadlines.status(), StatusCode::OK);
        let deadlines = rows(&deadlines.text().await.unwrap());
        assert_eq!(deadlines.len(), 4, "{deadlines:?}");
        let json: Value = app
            .get(
                "/v1/deadlines?kind=panel_notification&sort=-due_at",
                &manager,
            )
            .await
            .json()
            .await
            .unwrap();
        let mut columns = deadlines[0].clone();
        columns.sort();
        assert_eq!(columns, json_columns(&json["items"][0]));
        let kind = deadlines[0].iter().position(|c| c == "kind").unwrap();
        assert!(
            deadlines[1..]
                .iter()
                .all(|row| row[kind] == "panel_notification")
        );

        // An agency that is involved in none of them sees no row, as in JSON.
        let school = app.token("southend-schools", &[Role::AgencyUser]);
        for list in ["/v1/cases", "/v1/deadlines"] {
            let answer = csv(&app, list, &school).await;
            assert_eq!(answer.status(), StatusCode::OK);
            assert_eq!(rows(&answer.text().await.unwrap()).len(), 1, "{list}");
        }

        // A refusal is a problem, whatever was accepted.
        problem(
            csv(&app, "/v1/cases?limit=0", &manager).await,
            StatusCode::BAD_REQUEST,
            "query.invalid_limit",
        )
        .await;
    }
);
