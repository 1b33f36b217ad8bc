//! HTTP resources, registered once for both the router and the OpenAPI document.

pub mod case_view;
pub mod cases;
pub mod command;
pub mod ops;
pub mod rapid_review;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(cases::notify_incident)
        .service(cases::refer_case_for_consideration)
        .service(cases::record_panel_notification)
        .service(cases::list_cases)
        .service(cases::get_case)
        .service(cases::get_personal_details)
        .service(rapid_review::initiate_rapid_review)
        .service(rapid_review::record_partners_notified)
        .service(rapid_review::name_partner_lead)
        .service(rapid_review::agree_review_lead)
        .service(rapid_review::agree_modified_response)
        .service(rapid_review::request_agency_report)
        .service(rapid_review::submit_agency_report)
        .service(rapid_review::circulate_agency_reports)
        .service(rapid_review::record_rapid_review_meeting)
        .service(rapid_review::record_draft_milestone)
        .service(rapid_review::submit_draft_comments)
        .service(rapid_review::confirm_senior_sign_off)
        .service(rapid_review::sign_off_rapid_review)
        .service(rapid_review::record_partner_decision)
        .service(rapid_review::submit_rapid_review_to_panel)
        .service(ops::live)
        .service(ops::ready)
        .service(ops::metrics);
}
