//! `/about`: what the data is, where it came from, how to cite it, and how to reach
//! it as data.
use super::layout::*;
use crate::auth::Ctx;
use crate::error::ApiResult;
use crate::params::Params;
use crate::state::AppState;
use axum::extract::State;
use maud::{Markup, html};

/// `/about`.
pub async fn about(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Markup> {
    p.only(&[])?;
    let l = ctx.lang;
    let s = st.run(|s| Ok(s.stats()?)).await?;
    let years = s.years.map(|(a, b)| format!("{a}–{b}")).unwrap_or_else(|| "—".into());
    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let version = env!("CARGO_PKG_VERSION");
    let twins = [
        ("/search?q=…", "/api/v1/search?q=…"),
        ("/events/ID", "/api/v1/events/ID"),
        ("/entities/ID", "/api/v1/entities/ID"),
        ("/sources/ID", "/api/v1/sources/ID"),
        ("/timeline", "/api/v1/analysis/timeline"),
        ("/map", "/api/v1/analysis/map"),
        ("/network", "/api/v1/analysis/network"),
        ("/matrix", "/api/v1/analysis/matrix"),
        ("/calendar", "/api/v1/calendar · /calendar.ics"),
        ("/review", "/api/v1/review"),
        ("/about", "/api/v1/stats"),
    ];
    Ok(page(
        &ctx,
        Frame {
            title: l.t("about.title").into(),
            nav: Nav::About,
            json: Some("/api/v1/stats".into()),
            scripts: &[],
            lead: Some(l.t("about.lead").into()),
        },
        html! {
            section.prose {
                h2 { (l.t("about.what")) }
                p { (l.t("about.what_text")) }
                ul.stats {
                    li { strong { (l.num(s.events)) } " " (l.t("home.events")) " (" (years) ")" }
                    @for f in &s.events_by_review { li { strong { (l.num(f.count)) } " " (l.t(&format!("review.{}", f.value))) } }
                    li { strong { (l.num(s.sources)) } " " (l.t("home.sources")) }
                    li { strong { (l.num(s.evidence)) } " " (l.t("home.evidence")) }
                    li { strong { (l.num(s.archival_refs)) } " " (l.t("about.archival_refs")) }
                    li { strong { (l.num(s.audit)) } " " (l.t("about.audit")) }
                }
                h2 { (l.t("about.where")) }
                p { (l.t("about.where_text")) }
                ul {
                    li { (l.t("about.where_curated")) }
                    li { (l.t("about.where_extracted")) }
                    li { (l.t("about.where_gazetteer")) }
                    li { (l.t("about.where_map")) }
                }
                h2 { (l.t("about.review")) }
                p { (l.t("about.review_text")) }
                h2 { (l.t("about.cite")) }
                p { (l.t("about.cite_text")) }
                blockquote.cite #cite-db { (l.tf("about.cite_db", &[("version", &version), ("date", &today)])) }
                p { (l.t("about.cite_fact")) }
                h2 { (l.t("about.data")) }
                p { (l.t("about.data_text")) " " a href="/api/openapi.json" { "/api/openapi.json" } }
                table.plain {
                    thead { tr { th { (l.t("about.page")) } th { (l.t("about.json")) } } }
                    tbody { @for (a, b) in twins { tr { td { code { (a) } } td { code { (b) } } } } }
                }
                p { (l.t("about.exports")) }
                h2 { (l.t("about.keys")) }
                p { (l.t("about.keys_text")) }
            }
        },
    ))
}
