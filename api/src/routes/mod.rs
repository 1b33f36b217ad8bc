//! HTTP resources, registered once for both the router and the OpenAPI document.

/// Declares one command endpoint: its documentation, route and conversion from the body. The
/// OpenAPI tag is "Child cases" unless given first as `tag = "…",`.
macro_rules! case_command {
    (
        $name:ident, $op:literal, $path:literal, $summary:literal, $description:literal,
        $body:ident, |$value:ident, $input:ident| $convert:expr
    ) => {
        case_command!(
            tag = "Child cases", $name, $op, $path, $summary, $description, $body,
            |$value, $input| $convert
        );
    };
    (
        tag = $tag:literal, $name:ident, $op:literal, $path:literal, $summary:literal,
        $description:literal, $body:ident, |$value:ident, $input:ident| $convert:expr
    ) => {
        #[doc = $summary]
        #[utoipa::path(
                    operation_id = $op,
                    tag = $tag,
                    summary = $summary,
                    description = $description,
                    request_body = $body,
                    params(("case_id" = uuid::Uuid, Path, description = "The case"),
                           crate::doc_parts::IfMatch, crate::doc_parts::IdempotencyKey),
                    responses(
                        (status = 200, description = "Recorded.", body = $crate::dto::CommandAccepted,
                         headers(("ETag" = String, description = "The case's new version"))),
                    ),
                    security(("bearer" = []))
                )]
        #[post($path)]
        pub async fn $name(
            req: actix_web::HttpRequest,
            state: actix_web::web::Data<$crate::state::AppState>,
            $crate::auth::Authenticated(actor): $crate::auth::Authenticated,
            case_id: actix_web::web::Path<uuid::Uuid>,
            body: $crate::extract::JsonBody<$body>,
        ) -> Result<actix_web::HttpResponse, $crate::problem::ApiError> {
            use $crate::routes::command;
            let case_id = casetrail_domain::CaseId::from_uuid(case_id.into_inner());
            // The role before the body is turned into the command: sealing its text looks the
            // case up.
            let $input = command::CommandInput::authorised(&state, &actor, case_id, $op)?;
            let $value = body.value;
            let command: casetrail_domain::case::CaseCommand = $convert;
            $input.run(&req, &body.request_hash, command).await
        }
    };
}

/// Declares a command that opens a case: its route and OpenAPI description, and the body's
/// parsing into the personal details to seal and the command, which `cases::open_case` runs
/// under a new case id and data key (201 with `Location`).
macro_rules! case_opening {
    (
        tag = $tag:literal, $name:ident, $op:literal, $path:literal, $summary:literal,
        $description:literal, $body:ident, |$value:ident, $input:ident| $convert:expr
    ) => {
        #[doc = $summary]
        #[utoipa::path(
                    operation_id = $op,
                    tag = $tag,
                    summary = $summary,
                    description = $description,
                    request_body = $body,
                    params(crate::doc_parts::IdempotencyKey),
                    responses(
                        (status = 201, description = "The case is open.", body = $crate::dto::CommandAccepted,
                         headers(("Location" = String, description = "The new case"), ("ETag" = String, description = "The case's version"))),
                    ),
                    security(("bearer" = []))
                )]
        #[post($path)]
        pub async fn $name(
            req: actix_web::HttpRequest,
            state: actix_web::web::Data<$crate::state::AppState>,
            $crate::auth::Authenticated(actor): $crate::auth::Authenticated,
            body: $crate::extract::JsonBody<$body>,
        ) -> Result<actix_web::HttpResponse, $crate::problem::ApiError> {
            // The role before anything is looked up (a duplicate check reads the cases): a
            // refusal must not depend on which cases exist.
            casetrail_app::bus::require_writer(&actor)?;
            casetrail_domain::case::may_send($op, &actor)?;
            let $value = body.value;
            #[allow(unused_variables)]
            let $input = $crate::routes::cases::OpeningInput {
                state: &state,
                actor: &actor,
            };
            let (personal, command) = $convert;
            $crate::routes::cases::open_case(
                &req,
                &state,
                &actor,
                &body.request_hash,
                personal,
                command,
            )
            .await
        }
    };
}

pub mod access_log;
pub mod action_plan;
pub mod admin;
pub mod adult_review;
pub mod after_review;
pub mod audit_trail;
pub mod audits;
pub mod case_view;
pub mod cases;
pub mod command;
pub mod cursor;
pub mod erasure;
pub mod events;
pub mod feed;
pub mod homicide_review;
pub mod integrity;
pub mod labels;
pub mod learning;
pub mod learning_corrections;
pub mod learning_reads;
pub mod list_csv;
pub mod list_query;
pub mod ops;
pub mod rapid_review;
pub mod report;
pub mod retention;
pub mod review_status;
pub mod statistics;
pub mod subject_access;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(cases::notify_incident)
        .service(cases::refer_case_for_consideration)
        .service(cases::record_panel_notification)
        .service(review_status::list_cases)
        .service(review_status::get_case)
        .service(review_status::list_deadlines)
        .service(review_status::list_case_deadlines)
        .service(labels::get_labels)
        .service(cases::get_personal_details)
        .service(erasure::erase_case_personal_data)
        .service(subject_access::get_subject_access_export)
        .configure(rapid_review::configure)
        .configure(after_review::configure)
        .configure(action_plan::configure)
        .configure(audits::configure)
        .configure(adult_review::configure)
        .configure(homicide_review::configure)
        .service(admin::get_partnership)
        .service(admin::change_partnership_settings)
        .service(admin::register_organisation)
        .service(admin::retire_organisation)
        .service(admin::declare_bank_holiday)
        .service(admin::withdraw_bank_holiday)
        .service(admin::move_bank_holiday)
        .service(retention::list_retention_due)
        .service(audit_trail::get_case_audit_trail)
        .service(access_log::get_case_access_log)
        .service(audit_trail::list_audit_trail)
        .service(learning_reads::list_themes)
        .service(learning::add_theme)
        .service(learning::retire_theme)
        .service(learning::tag_themes)
        .service(learning::record_meeting)
        .service(learning_corrections::correct_meeting)
        .service(learning_reads::list_meetings)
        .service(learning::record_learning_event)
        .service(learning_corrections::correct_learning_event)
        .service(learning_reads::list_learning_events)
        .service(learning::record_contribution)
        .service(learning::record_spending)
        .service(learning_corrections::withdraw_budget_line)
        .service(learning_reads::get_budget)
        .service(statistics::list_statistics_years)
        .service(statistics::get_annual_statistics)
        .service(report::get_annual_report)
        .service(integrity::verify_integrity)
        .service(events::export_events)
        .service(feed::read_feed)
        .service(webhooks::create_webhook_subscription)
        .service(webhooks::list_webhook_subscriptions)
        .service(webhooks::get_webhook_subscription)
        .service(webhooks::delete_webhook_subscription)
        .service(webhooks::rotate_webhook_secret)
        .service(webhooks::redeliver_webhooks)
        .service(webhooks::list_webhook_deliveries)
        .service(ops::live)
        .service(ops::ready)
        .service(ops::metrics);
}
