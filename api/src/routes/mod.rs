//! HTTP resources, registered once for both the router and the OpenAPI document.

pub mod cases;
pub mod ops;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(cases::notify_incident)
        .service(cases::record_panel_notification)
        .service(cases::list_cases)
        .service(cases::get_case)
        .service(cases::get_personal_details)
        .service(ops::live)
        .service(ops::ready)
        .service(ops::metrics);
}
