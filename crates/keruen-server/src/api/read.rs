//! Reads: search, events, entities, sources, evidence, statistics, history. Each
//! `load_*` function is shared by the API handler and the HTML page of the same
//! thing.
use super::dto::*;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::i18n::Lang;
use crate::params::{Params, search_query};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use keruen_model::EntityKind;
use keruen_store::SearchQuery;
use std::collections::HashMap;

/// The language of an API answer: `lang=ru`, else English.
pub(crate) fn api_lang(p: &Params) -> ApiResult<Lang> {
    match p.one("lang")? {
        None => Ok(Lang::En),
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| ApiError::invalid("lang", format!("`lang` must be en or ru, not `{code}`"))),
    }
}

pub(crate) async fn load_search(st: &AppState, q: SearchQuery, lang: Lang) -> ApiResult<SearchResponse> {
    let r = st.searches.get(st, q).await?;
    Ok(SearchResponse::new((*r).clone(), lang.code()))
}

/// Search parameters, as documented (parsed by `params::search_query`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct SearchParams {
    /// Free text: names of states, places, people, organisations in any script
    /// (Khujand, Ходжент and Leninabad find the same events) and words of titles.
    q: Option<String>,
    /// Event types (repeat, or separate by commas).
    #[param(rename = "type")]
    r#type: Option<Vec<String>>,
    /// States that must all take part (ISO 3166-1 alpha-2; repeat or comma-separate).
    country: Option<Vec<String>>,
    /// Events that can fall on or after this EDTF date (`1995`, `1995-11`).
    from: Option<String>,
    /// Events that can fall on or before this EDTF date.
    to: Option<String>,
    /// Sectors (culture, education, science, arts, tourism, sport, politics).
    sector: Option<Vec<String>>,
    /// Statuses (held, planned, cancelled).
    status: Option<Vec<String>>,
    /// Include candidate events that no curator has accepted yet.
    candidates: Option<bool>,
    /// Page size, 1–500 (default 20).
    limit: Option<usize>,
    /// The `next` of the previous page.
    cursor: Option<String>,
    /// Compute facet counts (default true for /search, false for /events).
    facets: Option<bool>,
    /// Language of names: en (default) or ru.
    lang: Option<String>,
}

/// Search events, with facet counts.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
pub async fn search(State(st): State<AppState>, p: Params) -> ApiResult<Json<SearchResponse>> {
    let lang = api_lang(&p)?;
    let q = search_query(&p, true)?;
    Ok(Json(load_search(&st, q, lang).await?))
}

/// List events by filters, in date order (a search without facets by default).
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
pub async fn events(State(st): State<AppState>, p: Params) -> ApiResult<Json<SearchResponse>> {
    let lang = api_lang(&p)?;
    let q = search_query(&p, false)?;
    Ok(Json(load_search(&st, q, lang).await?))
}

fn named(names: &HashMap<String, keruen_store::EntityName>, id: &str, lang: Lang) -> NamedEntity {
    names.get(id).map(|n| NamedEntity::new(n, lang.code())).unwrap_or_else(|| NamedEntity::unknown(id))
}

pub(crate) async fn load_event(st: &AppState, id: String, lang: Lang) -> ApiResult<EventDetail> {
    st.run(move |s| {
        let found =
            s.named_event(&id)?.ok_or_else(|| ApiError::not_found(format!("no event with id `{id}`")))?;
        let e = found.event;
        let names: HashMap<String, _> = found.names.into_iter().map(|n| (n.id.clone(), n)).collect();
        let sources: HashMap<String, keruen_store::SourceHit> =
            found.sources.into_iter().map(|h| (h.id.clone(), h)).collect();
        Ok(EventDetail {
            id: e.id.clone(),
            event_type: e.event_type.as_str().into(),
            title: e.title.clone(),
            date: e.date.as_ref().map(|d| d.to_string()),
            earliest: e.date.as_ref().and_then(|d| d.earliest()).map(|d| d.to_string()),
            latest: e.date.as_ref().and_then(|d| d.latest()).map(|d| d.to_string()),
            status: e.status.as_str().into(),
            sectors: e.sectors.iter().map(|s| s.as_str().to_string()).collect(),
            description: e.description.clone(),
            review: e.review.as_str().into(),
            participants: e
                .participants
                .iter()
                .map(|p| ParticipantDto {
                    entity: named(&names, &p.entity, lang),
                    role: p.role.as_str().into(),
                })
                .collect(),
            places: e.places.iter().map(|p| named(&names, p, lang)).collect(),
            evidence: e
                .evidence
                .iter()
                .map(|v| EvidenceDto {
                    source: sources.get(&v.source).cloned().map(Into::into).unwrap_or(SourceHit {
                        id: v.source.clone(),
                        title: v.source.clone(),
                        authors: None,
                        issued: None,
                    }),
                    start: v.start,
                    end: v.end,
                    quote: v.quote.clone(),
                    page: v.page.clone(),
                    asserted_by: v.asserted_by.clone(),
                    confidence: v.confidence,
                    status: v.status.as_str().into(),
                    claim: v.claim.as_ref().map(|c| ClaimDto {
                        event_type: c.event_type.map(|t| t.as_str().to_string()),
                        date: c.date.as_ref().map(|d| d.to_string()),
                        countries: c.countries.clone(),
                        places: c.places.clone(),
                    }),
                })
                .collect(),
        })
    })
    .await
}

/// One event with its participants, places and evidence.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = String, Path, description = "Event id"), ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<EventDetail>> {
    p.only(&[])?;
    let lang = api_lang(&p)?;
    Ok(Json(load_event(&st, id, lang).await?))
}

/// The evidence of one event: which sources state it, where, and who asserted it.
#[utoipa::path(get, path = "/api/v1/events/{id}/evidence", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = Vec<EvidenceDto>), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn evidence(
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Vec<EvidenceDto>>> {
    p.only(&[])?;
    Ok(Json(load_event(&st, id, Lang::En).await?.evidence))
}

pub(crate) async fn load_entity(
    st: &AppState,
    id: String,
    lang: Lang,
    candidates: bool,
    cursor: Option<String>,
    limit: usize,
) -> ApiResult<EntityDetail> {
    let index = st.index.clone();
    st.run(move |s| {
        let e = s.entity(&id)?.ok_or_else(|| ApiError::not_found(format!("no entity with id `{id}`")))?;
        let page = index.entity_events(&id, candidates, cursor.as_deref(), limit)?;
        Ok(EntityDetail {
            id: e.id.clone(),
            kind: e.kind.as_str().into(),
            name: e.display_name(lang.code()).to_string(),
            names: e
                .names
                .iter()
                .map(|n| NameDto {
                    text: n.text.clone(),
                    lang: n.lang.clone(),
                    form: serde_json::to_value(n.form)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    preferred: n.preferred,
                })
                .collect(),
            iso: e.iso.clone(),
            wikidata: e.wikidata.clone(),
            country: e.country.clone(),
            lat: e.coordinates.map(|c| c.lat),
            lon: e.coordinates.map(|c| c.lon),
            dates: e.dates.as_ref().map(|d| d.to_string()),
            description: e.description.clone(),
            events: ListPage { items: page.items.into_iter().map(Into::into).collect(), next: page.next },
        })
    })
    .await
}

/// One entity with its names and a page of its events.
#[utoipa::path(get, path = "/api/v1/entities/{id}", tag = "entities",
    params(("id" = String, Path, description = "Entity id: KZ, place:almaty, org:unesco, …"),
        ("candidates" = Option<bool>, Query, description = "Include candidate events"),
        ("limit" = Option<usize>, Query, description = "Events per page, 1–500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The `events.next` of the previous page"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = EntityDetail), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn entity(
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<EntityDetail>> {
    p.only(&["candidates", "limit", "cursor"])?;
    let lang = api_lang(&p)?;
    let (candidates, limit) = (p.flag("candidates")?, p.limit(50, 500)?);
    let cursor = p.one("cursor")?.map(str::to_string);
    Ok(Json(load_entity(&st, id, lang, candidates, cursor, limit).await?))
}

pub(crate) async fn load_entities(
    st: &AppState,
    kind: Option<EntityKind>,
    cursor: Option<String>,
    limit: usize,
    lang: Lang,
) -> ApiResult<ListPage<NamedEntity>> {
    let page = st.run(move |s| Ok(s.entities_list(kind, cursor.as_deref(), limit)?)).await?;
    Ok(ListPage {
        items: page.items.iter().map(|e| NamedEntity::new(e, lang.code())).collect(),
        next: page.next,
    })
}

/// Entities, of one kind or all, in id order.
#[utoipa::path(get, path = "/api/v1/entities", tag = "entities",
    params(("kind" = Option<String>, Query, description = "country, polity, place, organization, person, work"),
        ("limit" = Option<usize>, Query, description = "1–500 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The `next` of the previous page"),
        ("lang" = Option<String>, Query, description = "en or ru")),
    responses((status = 200, body = ListPage<NamedEntity>), (status = 400, body = ErrorBody)))]
pub async fn entities(State(st): State<AppState>, p: Params) -> ApiResult<Json<ListPage<NamedEntity>>> {
    p.only(&["kind", "limit", "cursor"])?;
    let lang = api_lang(&p)?;
    let kind = p.get::<EntityKind>("kind")?;
    let (limit, cursor) = (p.limit(100, 500)?, p.one("cursor")?.map(str::to_string));
    Ok(Json(load_entities(&st, kind, cursor, limit, lang).await?))
}

/// Sources in the order they were added.
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    params(("limit" = Option<usize>, Query, description = "1–500 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The `next` of the previous page")),
    responses((status = 200, body = ListPage<SourceHit>), (status = 400, body = ErrorBody)))]
pub async fn sources(State(st): State<AppState>, p: Params) -> ApiResult<Json<ListPage<SourceHit>>> {
    p.only(&["limit", "cursor"])?;
    let (limit, cursor) = (p.limit(100, 500)?, p.one("cursor")?.map(str::to_string));
    let page = st.run(move |s| Ok(s.sources_list(cursor.as_deref(), limit)?)).await?;
    Ok(Json(ListPage { items: page.items.into_iter().map(Into::into).collect(), next: page.next }))
}

pub(crate) async fn load_source(st: &AppState, id: String) -> ApiResult<SourceDetail> {
    let page = st
        .run(move |s| {
            s.source_page(&id)?.ok_or_else(|| ApiError::not_found(format!("no source with id `{id}`")))
        })
        .await?;
    let s = page.source;
    let archival = s.archival.as_ref().map(|a| keruen_export::csl::archive_location(a, false));
    Ok(SourceDetail {
        short_citation: s.short_citation(),
        id: s.id,
        sha256: s.sha256,
        csl_type: s.csl_type,
        title: s.title,
        authors: s
            .author
            .iter()
            .map(|a| match &a.given {
                Some(g) => format!("{}, {g}", a.family),
                None => a.family.clone(),
            })
            .collect(),
        issued: s.issued.map(|d| d.to_string()),
        container_title: s.container_title,
        page: s.page,
        publisher: s.publisher,
        url: s.url,
        doi: s.doi,
        language: s.language,
        archival,
        file_name: s.file_name,
        text: s.text,
        annotations: page
            .annotations
            .into_iter()
            .map(|a| AnnotationDto {
                kind: a.kind.as_str().into(),
                start: a.start,
                end: a.end,
                text: a.text,
                value: a.value,
                target: a.target,
            })
            .collect(),
        archival_refs: page
            .archival_refs
            .into_iter()
            .map(|r| ArchivalRefDto {
                archive: r.archive,
                fond: r.fond,
                inventory: r.inventory,
                case: r.case,
                sheet: r.sheet,
                start: r.start,
                end: r.end,
                text: r.text,
            })
            .collect(),
        citations: page
            .citations
            .into_iter()
            .map(|c| CitationDto {
                author: c.author,
                year: c.year,
                pages: c.pages,
                start: c.start,
                end: c.end,
                text: c.text,
                reference: c.reference,
            })
            .collect(),
        references: page
            .references
            .into_iter()
            .map(|r| ReferenceDto {
                index: r.index,
                text: r.text,
                authors: r.authors,
                year: r.year,
                start: r.start,
                end: r.end,
            })
            .collect(),
        events: page.events.into_iter().map(Into::into).collect(),
    })
}

/// One source with its text, extracted spans, archival references, citations,
/// bibliography and the events that cite it.
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = String, Path, description = "Source id (src-…)")),
    responses((status = 200, body = SourceDetail), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn source(
    State(st): State<AppState>,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<SourceDetail>> {
    p.only(&[])?;
    Ok(Json(load_source(&st, id).await?))
}

/// Counts of what the database holds.
#[utoipa::path(get, path = "/api/v1/stats", tag = "about",
    responses((status = 200, body = StatsDto), (status = 400, body = ErrorBody)))]
pub async fn stats(State(st): State<AppState>, p: Params) -> ApiResult<Json<StatsDto>> {
    p.only(&[])?;
    Ok(Json(st.run(|s| Ok(s.stats()?)).await?.into()))
}

/// The change history of one item (event, entity or source id), oldest first.
#[utoipa::path(get, path = "/api/v1/history/{id}", tag = "about",
    params(("id" = String, Path, description = "Event, entity or source id; `user:NAME` and `token:ID` for admins")),
    responses((status = 200, body = Vec<AuditDto>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn history(
    State(st): State<AppState>,
    caller: crate::auth::ApiCaller,
    Path(id): Path<String>,
    p: Params,
) -> ApiResult<Json<Vec<AuditDto>>> {
    p.only(&[])?;
    // Accounts and tokens are not public: their history names users, roles and token
    // labels.
    if id.starts_with("user:") || id.starts_with("token:") {
        caller.require_reader(crate::auth::Role::Admin)?;
    }
    let h = st.run(move |s| Ok(s.history(&id)?)).await?;
    Ok(Json(h.into_iter().map(Into::into).collect()))
}
