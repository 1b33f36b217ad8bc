//! The OpenAPI document: its fixed parts (info, security, tags), the function that builds it
//! from the same registrations as the router, and what `finish` adds to every operation (the
//! shared problem responses, `x-request-id`, the enum of problem codes). The pieces route
//! attributes name live in `crate::doc_parts`, so routes never depend on this module.

use crate::doc_parts::{
    BadRequest, Conflict, Forbidden, Gone, Internal, NotFound, PayloadTooLarge, PreconditionFailed,
    TooManyRequests, Unauthorized, Unavailable, Unprocessable, UnsupportedMediaType,
    WebhookNotFound,
};
use crate::problem::{Problem, ProblemField};
use crate::routes::list_query::{CaseListSort, DeadlineListSort};
use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

/// The document's fixed parts; paths come from the route registrations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Casetrail",
        description = "Event-sourced case reviews for a multi-agency safeguarding partnership: \
serious incident notifications, rapid reviews, partner decisions, the national Panel's response, \
local child safeguarding practice reviews, safeguarding adult reviews and domestic homicide \
reviews.\n\nConventions: JSON in and out, `snake_case`, RFC 3339 UTC timestamps, `YYYY-MM-DD` \
dates, UUID ids. Every command answers `{case_id, version, position}`; send the version back in \
`If-Match` to refuse lost updates (412), and an `Idempotency-Key` to make retries safe. Errors \
are RFC 9457 `application/problem+json` with a stable `code`. Lists are paginated by opaque \
cursor. Bodies are limited to 64 KiB (413), must be UTF-8 (another `charset` is 415 \
`body.unsupported_charset`), and every text in them follows the same rules (non-blank, length \
limits, no control characters, and in identifiers no bidirectional controls: 422 naming the \
field). A transient database failure is 503 with `Retry-After`; a user with two reads `as_of` \
under way is told 429 `as_of.too_many` with `Retry-After`. A 400 or 422 names every field \
(`errors[].pointer`, a JSON pointer) or query parameter (`errors[].parameter`) at fault at once. \
Every GET answered 200 carries a weak validator of its body (`ETag`, or `Casetrail-Body-ETag` \
where the `ETag` is a case's version for `If-Match`): sent in `If-None-Match`, it is answered 304 \
while the body, evaluated now, would be the same. Labels of every enum value, in English and \
Welsh, are at `GET /v1/labels`. Methods other than GET, HEAD, POST, \
PUT, PATCH, DELETE and OPTIONS are 405. `x-request-id` in an answer is always the server's own \
id.\n\nLeast privilege: every `/v1` request needs a \
token holding at least one Casetrail role (otherwise 403 `auth.no_role`), of an organisation \
registered with the partnership and not retired (otherwise 403 `organisation.unknown` or \
`organisation.retired`); a command's role is checked before the case is looked up, also on an \
idempotent replay. Who may read what, by role and organisation, is in `docs/access-control.md`.\n\nEvery deadline and decision rule, with its \
statutory source and a worked example, is in [the rules](/rules.md) (`docs/rules.md` of the \
project, served by every instance at `/rules.md`): working days, end of day and close of business, deadline statuses (a deadline met, met late or breached never changes \
afterwards), closure reasons, the calendar, and each process's deadlines.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only")
    ),
    modifiers(&BearerSecurity),
    components(
        schemas(Problem, ProblemField, CaseListSort, DeadlineListSort),
        responses(BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed,
                  PayloadTooLarge, UnsupportedMediaType, Unprocessable, Gone, TooManyRequests, Internal, Unavailable,
                  WebhookNotFound)
    ),
    tags(
        (name = "Child cases", description = "Serious child safeguarding cases: notification to rapid review and LCSPR"),
        (name = "Adult cases", description = "Safeguarding adult reviews (Care Act 2014 s44): referral, decision, review, pauses, completion"),
        (name = "Domestic homicide cases", description = "Domestic homicide reviews: notification, decision, review, Home Office quality assurance"),
        (name = "Review status", description = "Read models of cases and their deadlines"),
        (name = "Personal data", description = "Erasure, subject access and retention of the personal data of children, adults and victims"),
        (name = "Audit", description = "Who did what, when and on which request: every event of the log, without personal data"),
        (name = "Statistics", description = "Annual statistics by financial year for the annual report, as JSON or CSV: aggregates only"),
        (name = "Feed", description = "The change feed: integration events in log order, as JSON pages or Server-Sent Events, for partner systems to follow instead of polling (docs/integration.md)"),
        (name = "Partnership", description = "The partnership's organisations, settings and bank holidays"),
        (name = "Learning", description = "The partnership's learning record: learning themes and their tags, meetings of its groups, learning events and training, and its budget; and the action plans of recommendations, with their progress, sign-off and review of impact"),
        (name = "Operations", description = "Health and metrics for operators")
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A JWT with claims sub, name, partnership, org and roles. Development: \
                         `casetrail token --role notifier --org southend-council`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Builds the OpenAPI document from the route registrations.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    finish(api)
}

/// What the document says of every operation, added once the routes are in it (the
/// `#[openapi]` modifiers run before they are): the server, the `x-request-id` header every
/// response carries, and which operational endpoints need no token.
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{HeaderBuilder, ObjectBuilder, RefOr, Server, Type};
    api.servers = Some(vec![Server::new("/")]);
    let request_id = HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(
            "The server's id of this request (never the client's): quote it to support.",
        ))
        .build();
    let mut with_request_id = |response: &mut RefOr<utoipa::openapi::Response>| {
        if let RefOr::T(response) = response {
            response
                .headers
                .insert(REQUEST_ID_HEADER.to_owned(), request_id.clone());
        }
    };
    if let Some(components) = api.components.as_mut() {
        components
            .responses
            .values_mut()
            .for_each(&mut with_request_id);
    }
    for item in api.paths.paths.values_mut() {
        if let Some(read) = item.get.as_mut() {
            add_conditional_read(read);
        }
        for operation in operations(item) {
            operation
                .responses
                .responses
                .values_mut()
                .for_each(&mut with_request_id);
            let open = matches!(operation.operation_id.as_deref(), Some("Live" | "Ready"));
            if open {
                // Probes answer without a token.
                operation.security = Some(Vec::new());
            } else {
                // First: the problems an operation can give follow from its parameters, these
                // among them (a malformed position is a 400).
                add_consistency_parameters(operation);
                add_shared_problems(operation);
            }
            describe_who_may_send(operation);
        }
    }
    crate::problem_codes::document_codes(&mut api);
    api
}

/// Adds the problem responses an operation can give by its shape, so that no route attribute
/// repeats them: each attribute keeps only its success and what is its own (a 404 of another
/// resource, 410, 429). Every authenticated request can fail authentication (401), the role or
/// organisation checks (403), or inside (500, 503); a body can be malformed (400), too large
/// (413), of another media type (415), invalid (422), and a command can meet a case in the
/// wrong state or one that keeps changing (409); a query string can be malformed (400); an
/// `If-Match` can be stale (412); a `{case_id}` can name no case this user may see (404).
fn add_shared_problems(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::ParameterIn;
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn, name: Option<&str>| {
        parameters
            .iter()
            .any(|p| p.parameter_in == place && name.is_none_or(|name| p.name == name))
    };
    let mut statuses = vec![401, 403, 500, 503];
    if operation.request_body.is_some() {
        statuses.extend([400, 409, 413, 415, 422]);
    }
    if has(ParameterIn::Query, None) {
        statuses.push(400);
    }
    if has(ParameterIn::Header, Some("If-Match")) {
        statuses.push(412);
    }
    if has(ParameterIn::Path, Some("case_id")) {
        statuses.push(404);
    }
    for status in statuses {
        if let Some(name) = crate::doc_parts::problem_response_name(status) {
            operation
                .responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| utoipa::openapi::Ref::from_response_name(name).into());
        }
    }
}

/// Every read answers a body validator and honours `If-None-Match` (`crate::conditional`):
/// the parameter, the 304, and the validator's header on each 200: the `ETag`, or
/// `Casetrail-Body-ETag` where the `ETag` is already the version a command takes in `If-Match`.
fn add_conditional_read(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{HeaderBuilder, ObjectBuilder, RefOr, Required, ResponseBuilder, Type};
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let validator = |text: &str| {
        HeaderBuilder::new()
            .schema(string())
            .description(Some(text))
            .build()
    };
    let mut has_validator = false;
    if let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") {
        let (name, text) = if ok.headers.contains_key("ETag") {
            (
                "Casetrail-Body-ETag",
                "A weak validator of this answer's body, `W/\"…\"` (the `ETag` is the version, \
                 for `If-Match`): send it in `If-None-Match` to be answered 304 while the body is \
                 unchanged.",
            )
        } else {
            (
                "ETag",
                "A weak validator of this answer's body, `W/\"…\"`: send it in `If-None-Match` \
                 to be answered 304 while the body is unchanged. Never a version: `If-Match` \
                 refuses it.",
            )
        };
        ok.headers.insert(name.to_owned(), validator(text));
        has_validator = true;
    }
    if !has_validator {
        return;
    }
    operation.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("If-None-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .schema(Some(string()))
            .description(Some(
                "The body validator of an earlier answer (its `ETag`, or \
                     `Casetrail-Body-ETag` where the `ETag` is a version): 304 with no body while \
                     the answer would be the same. Computed from the body as evaluated now, so a \
                     deadline whose status changed with time alone is a new body.",
            ))
            .build(),
    );
    operation.responses.responses.insert(
        "304".to_owned(),
        ResponseBuilder::new()
            .description("Not modified: the answer would be the body whose validator was sent.")
            .build()
            .into(),
    );
}

/// Every request but the probes accepts the log position it must reflect
/// (`crate::consistency`): declared on each operation here rather than on every route's own
/// parameters.
fn add_consistency_parameters(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{KnownFormat, ObjectBuilder, Required, SchemaFormat, Type};
    let position = ParameterBuilder::new()
        .name(crate::consistency::PARAMETER)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(0)),
        ))
        .description(Some(
            "Read your writes: the `position` of a command's answer. The request waits (up to \
             3 s) until this replica's read models have reached it (a read, or a command on a \
             case another replica has just opened); 503 \
             `consistency.not_caught_up` with `Retry-After` if they have not, 400 \
             `consistency.unknown_position` for a position the log has not reached.",
        ))
        .build();
    let header = ParameterBuilder::new()
        .name("Casetrail-Consistency")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^min-position=[0-9]+$")),
        ))
        .description(Some(
            "The same as `min_position`, for clients that cannot change the URL: \
             `min-position=<position>`. With both, the later position counts.",
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .extend([position, header]);
}

/// Adds to a case command's description who may send it, from the one declaration the
/// decider checks (`casetrail_domain::case::policy`), so the document cannot disagree with it.
fn describe_who_may_send(operation: &mut utoipa::openapi::path::Operation) {
    let Some(rule) = operation
        .operation_id
        .as_deref()
        .and_then(casetrail_domain::case::policy::rule_for)
    else {
        return;
    };
    let refusals = match rule.organisation.refusal_code() {
        Some(code) => format!("403 `auth.role_required` or `{code}`"),
        None => "403 `auth.role_required`".to_owned(),
    };
    let roles: Vec<String> = rule
        .roles
        .iter()
        .map(|role| format!("`{}`", role.as_str()))
        .collect();
    let who = format!(
        "\n\n**Who may send it** (`docs/access-control.md`): {}; {}. Cases: {}. Anyone else: \
         {refusals}, the role checked before the case is looked up.",
        roles.join(" or "),
        rule.organisation.describe(),
        rule.applies.describe(),
    );
    let description = operation.description.get_or_insert_with(String::new);
    description.push_str(&who);
}

/// The response header that carries the request id.
const REQUEST_ID_HEADER: &str = "x-request-id";

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The document as the committed, pretty-printed JSON.
pub fn document_json() -> String {
    let mut text = document().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
