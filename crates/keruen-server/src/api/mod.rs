//! The REST API under `/api/v1`, and its OpenAPI 3.1 document built from the handlers'
//! annotations (utoipa): the document lists exactly the routes that exist.
pub(crate) mod charts;
pub(crate) mod dto;
pub(crate) mod export;
pub(crate) mod read;
pub(crate) mod write;

use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "keruen API",
        description = "Cultural, educational and scientific cooperation between Kazakhstan, Kyrgyzstan, \
Tajikistan, Turkmenistan, Uzbekistan and their partners: events with the sources that state them. \
Every list is paged by a cursor (`next`); every error is `{\"error\": {\"code\", \"message\", \"field\"?}}`. \
Reads are public; writes need `Authorization: Bearer krn_…` (an API token from `keruen users token`).",
        license(name = "MIT OR Apache-2.0")
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "search", description = "Events by names, words and filters, with facet counts"),
        (name = "events", description = "Events and their evidence"),
        (name = "entities", description = "States, places, organisations, people, works"),
        (name = "sources", description = "Documents and archival units, with what was found in them"),
        (name = "analysis", description = "Timeline, map, country-pair matrix, network"),
        (name = "calendar", description = "Planned events and jubilees; iCalendar feed"),
        (name = "review", description = "Curation of candidate facts"),
        (name = "export", description = "The data in the formats of docs/formats.md"),
        (name = "about", description = "Counts and history")
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the bearer-token scheme that write routes name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("krn_ + 64 hex digits")
                    .build(),
            ),
        );
    }
}

/// The API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(read::search))
        .routes(routes!(read::events))
        .routes(routes!(read::event))
        .routes(routes!(read::evidence))
        .routes(routes!(read::entities))
        .routes(routes!(read::entity))
        .routes(routes!(read::sources))
        .routes(routes!(read::source))
        .routes(routes!(read::stats))
        .routes(routes!(read::history))
        .routes(routes!(charts::timeline))
        .routes(routes!(charts::map))
        .routes(routes!(charts::matrix))
        .routes(routes!(charts::network_api))
        .routes(routes!(charts::calendar))
        .routes(routes!(charts::calendar_ics))
        .routes(routes!(write::review_queue, write::review))
        .routes(routes!(write::import))
        .routes(routes!(write::me))
        .routes(routes!(export::export))
}
